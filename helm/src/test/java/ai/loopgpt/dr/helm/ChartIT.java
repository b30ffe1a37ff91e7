package ai.loopgpt.dr.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The suite's chart, proven offline with real Helm (helm-java runs Helm's own Go code): lint, the
 * values schema, and the rendered manifests read back as typed Kubernetes objects.
 */
class ChartIT {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path CHART = ROOT.resolve("helm/loopgpt-dr");
    static final List<Path> EXAMPLES = List.of(ROOT.resolve("deploy/values-production.yaml"),
            ROOT.resolve("deploy/values-small.yaml"), ROOT.resolve("deploy/values-status-only.yaml"));
    static final YAMLMapper YAML = new YAMLMapper();
    static final List<String> SERVICES = List.of("backup-service", "recovery-service", "notification-service", "status-service");

    /** Renders the chart as release "dr" in namespace "dr" with the given values files and --set pairs. */
    static List<HasMetadata> render(List<Path> valuesFiles, Object... sets) {
        TemplateCommand template = new Helm(CHART).template().withName("dr").withNamespace("dr");
        valuesFiles.forEach(template::withValuesFile);
        for (int i = 0; i < sets.length; i += 2) {
            template.set((String) sets[i], sets[i + 1]);
        }
        String manifests = template.call();
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : manifests.split("(?m)^---\\s*$")) {
            if (document.lines().anyMatch(l -> !l.isBlank() && !l.startsWith("#"))) {
                Object parsed = Serialization.unmarshal(document);
                assertTrue(parsed instanceof HasMetadata, "a Kubernetes object: " + document);
                objects.add((HasMetadata) parsed);
            }
        }
        return objects;
    }

    /**
     * As {@link #render}, hooks included: Helm's library leaves hooks out of a template's manifest, so
     * a copy of the chart whose hooks are plain objects is rendered instead.
     */
    static List<HasMetadata> renderWithHooks(List<Path> valuesFiles, Object... sets) {
        try {
            Path copy = copyChart("with-hooks");
            Path doctor = copy.resolve("templates/tests/doctor.yaml");
            String hook = Files.readString(doctor);
            assertTrue(hook.contains("\"helm.sh/hook\": test"), "the doctor Pod is a helm test hook");
            Files.writeString(doctor, hook.replace("\"helm.sh/hook\": test", "\"loopgpt.ai/was-hook\": test"));
            TemplateCommand template = new Helm(copy).template().withName("dr").withNamespace("dr");
            valuesFiles.forEach(template::withValuesFile);
            for (int i = 0; i < sets.length; i += 2) {
                template.set((String) sets[i], sets[i + 1]);
            }
            List<HasMetadata> objects = new ArrayList<>();
            for (String document : template.call().split("(?m)^---\\s*$")) {
                if (document.lines().anyMatch(l -> !l.isBlank() && !l.startsWith("#"))) {
                    objects.add((HasMetadata) Serialization.unmarshal(document));
                }
            }
            return objects;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The drctl arguments of the game-day CronJob among {@code objects}. */
    static List<String> gameDayArgs(List<HasMetadata> objects) {
        return ofKind(objects, CronJob.class).stream().filter(j -> j.getMetadata().getName().endsWith("game-day"))
                .findFirst().orElseThrow().getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0)
                .getArgs();
    }

    static <T> List<T> ofKind(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    @Test
    void lintsStrictlyWithTheDefaultsAndEveryExample() throws IOException {
        LintResult defaults = new Helm(CHART).lint().strict().call();
        assertFalse(defaults.isFailed(), String.join("\n", defaults.getMessages()));
        for (Path example : EXAMPLES) {
            // helm-java lints a chart with its own values: lint a copy whose values are the example merged in.
            Path copy = copyChart(example.getFileName().toString().replace(".yaml", ""));
            ObjectNode merged = (ObjectNode) YAML.readTree(CHART.resolve("values.yaml").toFile());
            merge(merged, YAML.readTree(example.toFile()));
            YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
            LintResult result = new Helm(copy).lint().strict().call();
            assertFalse(result.isFailed(), example + ":\n" + String.join("\n", result.getMessages()));
        }
    }

    @Test
    void theSchemaRefusesAWrongTypeAndAMissingValueReadably() throws IOException {
        IllegalStateException wrongType = assertThrows(IllegalStateException.class,
                () -> render(List.of(), "backup.replicas", "two"));
        assertTrue(wrongType.getMessage().contains("backup") && wrongType.getMessage().contains("replicas")
                && wrongType.getMessage().contains("integer"), wrongType.getMessage());

        Path missing = Files.writeString(Files.createTempFile(ROOT.resolve("helm/target"), "missing", ".yaml"),
                "database:\n  existingSecret: null\n");
        IllegalStateException missingValue = assertThrows(IllegalStateException.class, () -> render(List.of(missing)));
        assertTrue(missingValue.getMessage().contains("existingSecret") && missingValue.getMessage().contains("database"),
                missingValue.getMessage());

        IllegalStateException badFlavor = assertThrows(IllegalStateException.class,
                () -> render(List.of(), "image.flavor", "fast"));
        assertTrue(badFlavor.getMessage().contains("flavor"), badFlavor.getMessage());
        IllegalStateException typo = assertThrows(IllegalStateException.class, () -> render(List.of(), "bakup.enabled", "false"));
        assertTrue(typo.getMessage().contains("bakup"), typo.getMessage());
    }

    @Test
    void everyObjectParsesIntoItsTypedModelWithNoUnknownField() {
        for (List<Path> values : List.of(List.<Path>of(), List.of(EXAMPLES.get(0)), List.of(EXAMPLES.get(1)),
                List.of(EXAMPLES.get(2)))) {
            for (HasMetadata object : render(values)) {
                assertFalse(object.getClass().getName().contains("GenericKubernetesResource")
                                && !object.getApiVersion().startsWith("monitoring.coreos.com"),
                        "a typed model for " + object.getKind());
                if (!object.getApiVersion().startsWith("monitoring.coreos.com")) {
                    List<String> unknown = new ArrayList<>();
                    unknownFields(object, object.getKind() + "/" + object.getMetadata().getName(), unknown,
                            new IdentityHashMap<>());
                    assertTrue(unknown.isEmpty(), values + ": unknown fields " + unknown);
                }
            }
        }
    }

    @Test
    void everyServiceContainerIsProbedLimitedAndLockedDown() {
        List<HasMetadata> objects = render(List.of());
        List<Deployment> deployments = ofKind(objects, Deployment.class);
        assertEquals(Set.copyOf(SERVICES), deployments.stream().map(d -> d.getMetadata().getLabels()
                .get("app.kubernetes.io/name")).collect(java.util.stream.Collectors.toSet()));
        for (Deployment deployment : deployments) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            checkPod(deployment.getMetadata().getName(), pod);
            for (Container c : pod.getContainers()) {
                for (Probe probe : List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
                    assertNotNull(probe, c.getName() + " has startup, liveness and readiness probes");
                    assertEquals("management", probe.getHttpGet().getPort().getStrVal(), c.getName());
                    assertTrue(probe.getHttpGet().getPath().startsWith("/q/health/"), c.getName());
                }
                assertTrue(c.getPorts().stream().anyMatch(p -> p.getName().equals("management") && p.getContainerPort() == 9000));
            }
            assertNotNull(deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints().get(0));
        }
        for (CronJob cronJob : ofKind(objects, CronJob.class)) {
            checkPod(cronJob.getMetadata().getName(), cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
        }
        assertEquals(4, objects.stream().filter(o -> o.getKind().equals("PodDisruptionBudget")).count());
    }

    /** Resources, the restricted security context, a writable /tmp only. */
    static void checkPod(String name, PodSpec pod) {
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), name);
        assertTrue(pod.getSecurityContext().getRunAsNonRoot(), name);
        for (Container c : pod.getContainers()) {
            var sc = c.getSecurityContext();
            assertTrue(sc.getRunAsNonRoot(), name);
            assertTrue(sc.getReadOnlyRootFilesystem(), name);
            assertFalse(sc.getAllowPrivilegeEscalation(), name);
            assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), name);
            assertEquals("RuntimeDefault", sc.getSeccompProfile().getType(), name);
            assertNotNull(c.getResources().getRequests().get("memory"), name + " memory request");
            assertNotNull(c.getResources().getRequests().get("cpu"), name + " cpu request");
            assertNotNull(c.getResources().getLimits().get("memory"), name + " memory limit");
            String tmpVolume = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " has a writable /tmp")).getName();
            assertNotNull(pod.getVolumes().stream().filter(v -> v.getName().equals(tmpVolume)).findFirst().orElseThrow()
                    .getEmptyDir(), name + ": /tmp is an emptyDir");
        }
    }

    @Test
    void noSecretIsRenderedAndSecretsAreReferencedOnly() {
        for (List<Path> values : List.of(List.<Path>of(), List.of(EXAMPLES.get(0)), List.of(EXAMPLES.get(1)))) {
            List<HasMetadata> objects = render(values);
            assertTrue(objects.stream().noneMatch(o -> o.getKind().equals("Secret")), values + " renders no Secret");
            for (Deployment d : ofKind(objects, Deployment.class)) {
                d.getSpec().getTemplate().getSpec().getContainers().forEach(c -> c.getEnv().forEach(e -> {
                    boolean secretish = e.getName().matches(".*(PASSWORD|TOKEN|SECRET|KEY_ID|ACCESS_KEY|_URL|TOKEN_KEY)$")
                            && !e.getName().equals("QUARKUS_CONFIG_LOCATIONS");
                    if (secretish) {
                        assertNotNull(e.getValueFrom(), e.getName() + " of " + d.getMetadata().getName() + " comes from a Secret");
                        assertNotNull(e.getValueFrom().getSecretKeyRef(), e.getName());
                    }
                }));
            }
            ofKind(objects, io.fabric8.kubernetes.api.model.ConfigMap.class).forEach(cm -> {
                String properties = cm.getData().get("application.properties");
                assertFalse(properties.matches("(?s).*(password|secret|token)[^\\n]*=[^$\\n][^\\n]*.*")
                        && !properties.contains("token-key"), cm.getMetadata().getName() + ":\n" + properties);
            });
        }
    }

    @Test
    void cronJobsRunDrctlOnValidSchedulesAndTurnTheServicesOwnSchedulesOff() {
        List<HasMetadata> objects = render(List.of(EXAMPLES.get(0)));
        List<CronJob> jobs = ofKind(objects, CronJob.class);
        Set<String> names = new TreeSet<>();
        for (CronJob job : jobs) {
            names.add(job.getMetadata().getName());
            assertTrue(Cron.valid(job.getSpec().getSchedule()), job.getSpec().getSchedule());
            assertEquals("Forbid", job.getSpec().getConcurrencyPolicy());
            assertNotNull(job.getSpec().getSuccessfulJobsHistoryLimit());
            assertNotNull(job.getSpec().getFailedJobsHistoryLimit());
            assertNotNull(job.getSpec().getJobTemplate().getSpec().getBackoffLimit());
            assertNotNull(job.getSpec().getJobTemplate().getSpec().getActiveDeadlineSeconds());
            Container drctl = job.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
            assertTrue(drctl.getImage().contains("loopgpt-dr/drctl:1.0.0"), drctl.getImage());
            assertTrue(drctl.getArgs().contains("--wait"), "waits, so that a failed job fails the Job: " + drctl.getArgs());
            assertTrue(drctl.getEnv().stream().anyMatch(e -> e.getName().equals("DRCTL_TOKEN_FILE")));
        }
        assertEquals(Set.of("dr-backup-analytics", "dr-backup-loopgpt", "dr-game-day", "dr-integrity-analytics",
                "dr-integrity-loopgpt", "dr-restore-drill-analytics", "dr-restore-drill-loopgpt"), names);
        assertEquals(List.of("drill", "game-day", "--run", "--wait", "--wait-timeout", "14340s"), gameDayArgs(objects),
                "the game day runs all its scenarios and waits for their end");
        assertEquals(List.of("drill", "game-day", "--run", "--scenario", "database-restore", "--scenario", "communication-plan",
                "--wait", "--wait-timeout", "14340s"), gameDayArgs(render(List.of(EXAMPLES.get(0)),
                "cronJobs.gameDay.scenarios[0]", "database-restore", "cronJobs.gameDay.scenarios[1]", "communication-plan")));
        IllegalStateException incidentScenario = assertThrows(IllegalStateException.class,
                () -> render(List.of(), "cronJobs.gameDay.scenarios[0]", "database-failure"));
        assertTrue(incidentScenario.getMessage().contains("scenarios"), incidentScenario.getMessage());
        String backupConfig = config(objects, "dr-backup-service");
        assertTrue(backupConfig.contains("backup.schedule.enabled=false"), backupConfig);
        assertTrue(backupConfig.contains("backup.drills.schedule-enabled=false"), backupConfig);

        assertFalse(backupConfig.contains(".stream="), "no target streams by default: " + backupConfig);
        String streamed = config(render(List.of(), "backup.targets.loopgpt.stream", true), "dr-backup-service");
        assertTrue(streamed.contains("backup.targets.\"loopgpt\".stream=true"), streamed);

        String withoutCronJobs = config(render(List.of(), "cronJobs.backup.enabled", false, "cronJobs.integrity.enabled", false,
                "cronJobs.restoreDrill.enabled", false), "dr-backup-service");
        assertTrue(withoutCronJobs.contains("backup.schedule.enabled=true"), withoutCronJobs);
        assertTrue(withoutCronJobs.contains("backup.drills.schedule-enabled=true"), withoutCronJobs);
        assertFalse(Cron.valid("61 * * * *"));
        assertFalse(Cron.valid("0 * * *"));
    }

    static String config(List<HasMetadata> objects, String name) {
        return ofKind(objects, io.fabric8.kubernetes.api.model.ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals(name)).findFirst().orElseThrow()
                .getData().get("application.properties");
    }

    @Test
    void theRecoveryRoleHasExactlyTheRollbackVerbsInEachAllowedNamespace() {
        List<Role> roles = ofKind(render(List.of(EXAMPLES.get(0))), Role.class);
        assertEquals(Set.of("loopgpt", "loopgpt-edge"), roles.stream().map(r -> r.getMetadata().getNamespace())
                .collect(java.util.stream.Collectors.toSet()));
        for (Role role : roles) {
            assertEquals(Map.of("deployments", List.of("get", "patch"), "replicasets", List.of("list")),
                    RollbackRbac.grants(role));
        }
    }

    @Test
    void disablingAServiceRemovesAllItsObjects() {
        for (String service : SERVICES) {
            String key = service.substring(0, service.indexOf('-'));
            List<HasMetadata> objects = render(List.of(), key + ".enabled", false,
                    "notification.publicUrl", "https://status.loopgpt.ai");
            List<String> left = objects.stream().filter(o -> service.equals(o.getMetadata().getLabels()
                    .get("app.kubernetes.io/name"))).map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
            assertTrue(left.isEmpty(), service + " disabled leaves " + left);
            String rendered = objects.stream().map(Serialization::asYaml).reduce("", String::concat);
            assertFalse(rendered.contains("dr-" + service + ":") || rendered.contains("dr-" + service + "\n"),
                    "nothing points at the disabled " + service);
        }
    }

    @Test
    void helmTestRunsDrctlDoctorAgainstEveryServiceOfTheRelease() {
        List<HasMetadata> objects = renderWithHooks(List.of());
        Pod doctor = ofKind(objects, Pod.class).stream().filter(p -> p.getMetadata().getName().equals("dr-doctor"))
                .findFirst().orElseThrow();
        assertEquals("test", doctor.getMetadata().getAnnotations().get("loopgpt.ai/was-hook"));
        Container drctl = doctor.getSpec().getContainers().get(0);
        assertEquals(List.of("doctor", "--service", "backup", "--service", "recovery", "--service", "notification",
                "--service", "status"), drctl.getArgs());
        assertTrue(drctl.getImage().contains("loopgpt-dr/drctl:1.0.0"), drctl.getImage());
        for (String url : List.of("DRCTL_BACKUP_URL=http://dr-backup-service:8081", "DRCTL_RECOVERY_URL=http://dr-recovery-service:8082",
                "DRCTL_NOTIFICATION_URL=http://dr-notification-service:8083", "DRCTL_STATUS_URL=http://dr-status-service:8084")) {
            assertTrue(drctl.getEnv().stream().anyMatch(e -> url.equals(e.getName() + "=" + e.getValue())), url + " in " + drctl.getEnv());
        }
        checkPod("dr-doctor", doctor.getSpec());
        assertTrue(ofKind(renderWithHooks(List.of(), "tests.doctor.enabled", false), Pod.class).isEmpty());
    }

    @Test
    void defaultsCompose() {
        List<HasMetadata> objects = render(List.of());
        String notification = config(objects, "dr-notification-service");
        for (String audience : List.of("on-call", "team", "game-day")) {
            assertTrue(notification.contains("notify.audiences.\"" + audience + "\".email="), audience + ": " + notification);
        }
        assertTrue(notification.contains("notify.public-url=https://status.loopgpt.ai"), notification);
        String recovery = config(objects, "dr-recovery-service");
        assertTrue(recovery.contains("recovery.destinations.\"scratch\".scratch=true"), recovery);
        String backup = config(objects, "dr-backup-service");
        assertTrue(backup.contains("backup.drills.scratch-destination=scratch"), backup);

        // A restore-drill CronJob with no scratch destination to restore into is refused, saying why.
        IllegalStateException noScratch = assertThrows(IllegalStateException.class,
                () -> render(List.of(), "recovery.destinations.scratch.scratch", false));
        assertTrue(noScratch.getMessage().contains("scratch destination"), noScratch.getMessage());
        // So is a game day whose restore scenarios would have nowhere to restore to; without them it renders.
        IllegalStateException gameDayNoScratch = assertThrows(IllegalStateException.class,
                () -> render(List.of(), "recovery.destinations.scratch.scratch", false, "cronJobs.restoreDrill.enabled", false));
        assertTrue(gameDayNoScratch.getMessage().contains("cronJobs.gameDay runs the restore scenarios"),
                gameDayNoScratch.getMessage());
        assertTrue(ofKind(render(List.of(), "recovery.destinations.scratch.scratch", false,
                "cronJobs.restoreDrill.enabled", false, "cronJobs.gameDay.scenarios[0]", "edge-function-rollback",
                "cronJobs.gameDay.scenarios[1]", "communication-plan"), CronJob.class).stream()
                .noneMatch(j -> j.getMetadata().getName().contains("restore-drill")));

        // Links in mails must point somewhere people reach: without the page's Ingress, publicUrl is required.
        IllegalStateException noLinks = assertThrows(IllegalStateException.class,
                () -> render(List.of(), "status.ingress.enabled", false));
        assertTrue(noLinks.getMessage().contains("notification.publicUrl"), noLinks.getMessage());
        assertTrue(config(render(List.of(), "status.ingress.enabled", false, "notification.publicUrl",
                "https://dr.example.com"), "dr-notification-service").contains("notify.public-url=https://dr.example.com"));
    }

    @Test
    void statusServiceRendersAlone() {
        List<HasMetadata> objects = renderWithHooks(List.of(EXAMPLES.get(2)));
        Set<String> components = new TreeSet<>();
        objects.forEach(o -> components.add(o.getMetadata().getLabels().get("app.kubernetes.io/name")));
        assertEquals(Set.of("status-service", "drctl"), components, "the page, and helm test's doctor");
        Set<String> kinds = new TreeSet<>();
        objects.forEach(o -> kinds.add(o.getKind()));
        assertEquals(Set.of("ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Ingress", "NetworkPolicy",
                "PodDisruptionBudget", "Pod", "Service", "ServiceAccount"), kinds);
        Pod doctor = ofKind(objects, Pod.class).get(0);
        assertEquals(List.of("doctor", "--service", "status"), doctor.getSpec().getContainers().get(0).getArgs(),
                "only the service installed is checked");
        NetworkPolicy policy = ofKind(objects, NetworkPolicy.class).get(0);
        assertTrue(policy.getSpec().getIngress().stream().anyMatch(r -> r.getFrom().isEmpty()
                && r.getPorts().get(0).getPort().getStrVal().equals("http")), "the public port from anywhere");
    }

    @Test
    void onlyStatusServicesPublicPortIsOpenFromOutside() {
        for (NetworkPolicy policy : ofKind(render(List.of()), NetworkPolicy.class)) {
            String name = policy.getMetadata().getName();
            policy.getSpec().getIngress().forEach(rule -> {
                boolean anywhere = rule.getFrom() == null || rule.getFrom().isEmpty();
                if (anywhere) {
                    assertEquals("dr-status-service", name, "only the status page is open to anyone");
                    assertEquals("http", rule.getPorts().get(0).getPort().getStrVal());
                }
            });
            assertTrue(policy.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress")), name);
        }
    }

    // ----- helpers

    /** Collects "path.field" of every field a typed model did not know (kept in additionalProperties). */
    static void unknownFields(Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, true) != null) {
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            try {
                Object field = getter.invoke(value);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + " " + extra.keySet());
                    }
                } else {
                    unknownFields(field, path + "." + getter.getName().substring(3), unknown, seen);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Path copyChart(String name) throws IOException {
        Path copy = ROOT.resolve("helm/target/lint/" + name + "/loopgpt-dr");
        if (Files.exists(copy)) {
            try (Stream<Path> old = Files.walk(copy)) {
                old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        try (Stream<Path> files = Files.walk(CHART)) {
            files.forEach(rethrowing(source -> {
                Path target = copy.resolve(CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }));
        }
        return copy;
    }

    /** Helm's coalescing of a values file over the defaults: maps merge, everything else replaces. */
    static void merge(ObjectNode base, JsonNode override) {
        override.fields().forEachRemaining(e -> {
            JsonNode current = base.get(e.getKey());
            if (current instanceof ObjectNode o && e.getValue().isObject()) {
                merge(o, e.getValue());
            } else if (e.getValue().isNull()) {
                base.remove(e.getKey());
            } else {
                base.set(e.getKey(), e.getValue());
            }
        });
    }

    interface IoConsumer<T> {
        void accept(T t) throws IOException;
    }

    static <T> Consumer<T> rethrowing(IoConsumer<T> consumer) {
        return t -> {
            try {
                consumer.accept(t);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    static List<PolicyRule> rules(Role role) {
        return role.getRules();
    }
}
