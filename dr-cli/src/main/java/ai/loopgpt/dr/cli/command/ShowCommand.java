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

    ShowCommand(Service service, String path) {
        this.service = service;
        this.path = path;
    }

    @Override
    protected int run() {
        output.object(api.get(service, path + "/" + Api.segment(id)));
        return ExitCodes.OK;
    }
}
