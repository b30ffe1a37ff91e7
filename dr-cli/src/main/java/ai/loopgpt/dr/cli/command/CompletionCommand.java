package ai.loopgpt.dr.cli.command;

import ai.loopgpt.dr.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Prints a shell completion script for bash or zsh.",
        footer = {"%nExamples:", "  source <(drctl completion bash)",
                "  drctl completion zsh > \"${fpath[1]}/_drctl\"   # or: source <(drctl completion zsh)"})
public class CompletionCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    String shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            spec.commandLine().getErr().println("Error: completion is for bash or zsh, not '"
                    + ai.loopgpt.dr.cli.Text.printable(shell) + "'.");
            return ExitCodes.USAGE;
        }
        String script = AutoComplete.bash("drctl", spec.root().commandLine());
        if (shell.equals("zsh")) {
            // picocli's script runs in zsh through bashcompinit.
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
