package io.tunnelmq.bench.load;

import io.tunnelmq.bench.CommandLine;
import io.tunnelmq.bench.ExitCode;

import java.io.IOException;
import java.util.List;

/** The {@code load} command: one run, its table on stdout, progress on stderr, the row appended to --csv. */
public final class LoadCommand {
    private LoadCommand() {
    }

    public static int run(List<String> args) throws InterruptedException, IOException {
        CommandLine line = CommandLine.parse(args);
        if (line.flag("help")) {
            System.out.print(LoadOptions.USAGE);
            return ExitCode.OK;
        }
        LoadOptions options = LoadOptions.from(line);
        line.requireAllUsed();
        if (!line.positional().isEmpty()) {
            throw new IllegalArgumentException("unexpected argument(s) " + line.positional());
        }
        LoadResult result = new LoadRun(options, System.err).run();
        ResultTable.print(List.of(result), System.out);
        if (options.csv() != null) {
            ResultTable.appendCsv(options.csv(), List.of(result));
        }
        return result.ok() ? ExitCode.OK : ExitCode.FAILED;
    }
}
