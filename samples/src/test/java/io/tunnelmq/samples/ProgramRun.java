package io.tunnelmq.samples;

import java.util.List;

/**
 * What a program run in its own JVM did.
 *
 * @param program  how the run is named in failure messages
 * @param exited   whether the JVM ended by itself within the timeout
 * @param exitCode the JVM's exit status; -1 when it had to be killed
 * @param lines    standard output and standard error, interleaved as written (and a thread dump after a timeout)
 */
record ProgramRun(String program, boolean exited, int exitCode, List<String> lines) {

    ProgramRun {
        lines = List.copyOf(lines);
    }

    /** The run, told for a failure message: how it ended and everything it printed. */
    String transcript() {
        String end = exited ? "exited with status " + exitCode : "did NOT exit within its timeout and was killed";
        return program + " " + end + "; its output:\n  | " + String.join("\n  | ", lines) + "\n";
    }
}
