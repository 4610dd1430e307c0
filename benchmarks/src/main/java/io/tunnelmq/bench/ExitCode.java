package io.tunnelmq.bench;

/** The exit codes of {@code java -jar benchmarks.jar} and of each of its commands. */
public final class ExitCode {
    public static final int OK = 0;
    /** A run failed (a broker did not start, a scenario lost messages, ...). */
    public static final int FAILED = 1;
    public static final int BAD_ARGUMENTS = 2;

    private ExitCode() {
    }
}
