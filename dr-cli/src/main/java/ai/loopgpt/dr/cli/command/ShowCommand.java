package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.Api;
import ai.loopgpt.dr.cli.ExitCodes;
import ai.loopgpt.dr.cli.Service;
import picocli.CommandLine.Parameters;

/** {@code … show ID}: one item of a collection, as the API shows it. */
abstract class ShowCommand extends ApiCommand {

    @Parameters(paramLabel = "ID", description = "Its id.")
    String id;

    private final Service service;
    private final String path;
    private final String[] required;

    /** Shows an item of {@code path}; for people, its answer must have the {@code required} fields. */
    ShowCommand(Service service, String path, String... required) {
        this.service = service;
        this.path = path;
        this.required = required;
    }

    @Override
    protected int run() {
        output.object(service, api.get(service, path + "/" + Api.segment(id)), required);
        return ExitCodes.OK;
    }
}
