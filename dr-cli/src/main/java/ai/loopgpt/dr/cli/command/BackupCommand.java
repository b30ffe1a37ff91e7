package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import ai.loopgpt.dr.cli.CliException;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Follow;
import ai.loopgpt.dr.cli.Json;
import ai.loopgpt.dr.cli.Output.Column;
import ai.loopgpt.dr.cli.Service;
import ai.loopgpt.dr.cli.Text;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "backup", description = "Take, list, show and download backups (backup-service).",
        subcommands = {BackupCommand.Create.class, BackupCommand.ListBackups.class, BackupCommand.Show.class,
                BackupCommand.Download.class},
        mixinStandardHelpOptions = true)
public class BackupCommand {

    static final String PATH = "/api/v1/backups";

    static final List<Column> COLUMNS = List.of(
            Column.required("ID", "id"), Column.required("TARGET", "target"), Column.required("KIND", "kind"),
            Column.required("PHASE", "phase"),
            new Column("SIZE", n -> Json.number(n, "sizeBytes") != null ? Text.bytes(Json.number(n, "sizeBytes")) : null),
            Column.time("STARTED", "startedAt"),
            new Column("DURATION", n -> Json.number(n, "durationMillis") != null
                    ? Text.duration(java.time.Duration.ofMillis(Json.number(n, "durationMillis"))) : null),
            Column.of("VERIFIED", "verification.result"),
            new Column("PINNED", n -> n.hasNonNull("pin") ? "yes" : null));

    static final Follow.Job JOB = new Follow.Job("backup", Service.BACKUP, PATH, "drctl backup show",
            n -> n.has("progress") ? Text.bytes(n.at("/progress/bytesUploaded").asLong()) + " uploaded"
                    : n.hasNonNull("sizeBytes") ? Text.bytes(n.get("sizeBytes").asLong()) : null,
            n -> null);

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Takes a backup of a target now.",
            footer = {"%nExamples:", "  drctl backup create --target loopgpt --reason 'before the orders migration' --wait",
                    "  drctl backup create --target loopgpt --format directory --compression zstd --jobs 2 -w"})
    static class Create extends ApiCommand {
        @Option(names = {"-t", "--target"}, required = true, description = "The target database (drctl targets list).")
        String target;
        @Option(names = "--kind", defaultValue = "manual",
                description = "manual (default; needs dr-operator), automatic, drill or pre-change.")
        String kind;
        @Option(names = "--reason", description = "Why, kept with the backup.")
        String reason;
        @Option(names = "--format", description = "plain (default: restorable with the plan's gunzip | psql), custom or directory.")
        String format;
        @Option(names = "--compression", description = "gzip (default) or zstd.")
        String compression;
        @Option(names = "--jobs", description = "Parallel pg_dump jobs (directory format only).")
        Integer jobs;
        @Mixin
        WaitOptions wait;

        @Override
        protected int run() {
            ObjectNode body = Json.object().put("target", target).put("kind", kind);
            putIfSet(body, "reason", reason);
            putIfSet(body, "format", format);
            putIfSet(body, "compression", compression);
            if (jobs != null) {
                body.put("jobs", jobs);
            }
            return start(JOB, body, wait, null);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists backups, newest first.",
            footer = {"%nExamples:", "  drctl backup list --target loopgpt --size 10", "  drctl backup list --status FAILED --since 24h"})
    static class ListBackups extends ApiCommand {
        @Option(names = {"-t", "--target"}, description = "Only this target's.")
        String target;
        @Option(names = "--status", description = "Only in this phase: PENDING, RUNNING, SUCCEEDED, FAILED or EXPIRED.")
        String status;
        @Option(names = "--kind", description = "Only of this kind.")
        String kind;
        @Option(names = "--since", description = "Only those created since (ISO time, or a duration ago: 24h).")
        String since;
        @Option(names = "--before", description = "Only snapshots older than this (ISO time or duration ago).")
        String before;
        @Mixin
        Paging paging;

        @Override
        protected int run() {
            Instant now = Instant.now();
            return list(Service.BACKUP, PATH, paging.query("target", target, "status", status, "kind", kind,
                    "since", Text.parseTime(since, now), "before", Text.parseTime(before, now)), COLUMNS);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Shows one backup: phase, timings, object, checksum, row counts, restore command.",
            footer = {"%nExample:", "  drctl backup show 0b6a6c36-3b5e-4a53-9d8e-2f0d7f1c9a10 -o json"})
    static class Show extends ShowCommand {
        Show() {
            super(Service.BACKUP, PATH, "id", "target", "kind", "phase");
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true,
            description = "Downloads a backup's object (dr-admin) and checks it against the catalog's SHA-256.",
            footer = {"%nExamples:", "  drctl backup download 0b6a6c36-3b5e-4a53-9d8e-2f0d7f1c9a10",
                    "  drctl backup download 0b6a6c36-3b5e-4a53-9d8e-2f0d7f1c9a10 --file /restore/loopgpt.sql.gz",
                    "  drctl backup download 0b6a6c36-3b5e-4a53-9d8e-2f0d7f1c9a10 --url   # the short-lived link only"})
    static class Download extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The backup's id.")
        String id;
        @Option(names = {"-f", "--file"}, description = "Where to write it (default: the object's name, here).")
        Path file;
        @Option(names = "--url", description = "Print the short-lived presigned URL instead of downloading.")
        boolean urlOnly;

        @Override
        protected int run() {
            JsonNode backup = api.get(Service.BACKUP, PATH + "/" + Api.segment(id));
            JsonNode link = api.get(Service.BACKUP, PATH + "/" + Api.segment(id) + "/download");
            String url = Json.requireText(Service.BACKUP, link, "url");
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new Json.UnexpectedDocument("'url' is not an http(s) URL").from(Service.BACKUP);
            }
            if (urlOnly) {
                if (output.forPeople()) {
                    output.writer().println(url);
                    output.writer().flush();
                } else {
                    output.raw(link);
                }
                return ExitCodes.OK;
            }
            Path target = file != null ? file : objectFile(Json.requireText(Service.BACKUP, backup, "objectKey"));
            String expected = Json.text(backup, "sha256");
            try {
                Path partial = target.resolveSibling(target.getFileName() + ".part");
                // Streamed to the file, not held in memory: a backup's object has no size limit. The link is
                // presigned: drctl's token is not sent to the bucket.
                HttpResponse<InputStream> response = HttpClient.newBuilder().connectTimeout(api.timeout()).build()
                        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    response.body().close();
                    throw new CliException(ExitCodes.REFUSED, "The bucket refused the download (HTTP "
                            + response.statusCode() + "); the link may have expired: try again.");
                }
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long size;
                try (InputStream in = response.body();
                        OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), sha)) {
                    size = in.transferTo(out);
                }
                String actual = HexFormat.of().formatHex(sha.digest());
                if (expected != null && !expected.equalsIgnoreCase(actual)) {
                    Files.deleteIfExists(partial);
                    throw new CliException(ExitCodes.FAILED, "The downloaded object's SHA-256 " + actual
                            + " is not the catalog's " + expected + "; nothing was kept.");
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
                err.printf("Saved %s (%s), SHA-256 %s matches the catalog.%n", target, Text.bytes(size), actual);
                if (Json.text(backup, "restore") != null) {
                    err.println("The plan's restore command (from the bucket): " + Text.printable(Json.text(backup, "restore")));
                }
                err.flush();
                return ExitCodes.OK;
            } catch (IOException e) {
                throw new CliException(ExitCodes.UNREACHABLE, "The download failed: " + Text.printable(
                        e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CliException.error("Interrupted.");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The file an object key names in the current directory: its last segment, nothing that climbs out. */
        private static Path objectFile(String key) {
            String name = key.substring(key.lastIndexOf('/') + 1);
            if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('\\') >= 0
                    || !Text.printable(name).equals(name)) {
                throw new Json.UnexpectedDocument("'objectKey' does not end with a file name").from(Service.BACKUP);
            }
            return Path.of(name);
        }
    }
}
