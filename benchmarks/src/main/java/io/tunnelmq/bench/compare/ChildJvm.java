package io.tunnelmq.bench.compare;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the comparison starts: a broker or one load run, on the class path of this JVM (the benchmarks jar). Its
 * output goes to a log file; its standard input stays a pipe to this JVM, which a broker uses as a lifeline.
 */
public final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final int port;

    private ChildJvm(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Touches every page of the heap at start: see {@link #preTouchedHeap}; warm load runs use it too. */
    public static final String PRE_TOUCH = "-XX:+AlwaysPreTouch";

    /**
     * The heap options of every broker JVM the benchmarks start, TunnelMQ's and Artemis's alike, and of client JVMs
     * whose warm-up is there to leave start-up costs out (scale's clients; compare's warm load runs add
     * {@link #PRE_TOUCH} to their own fixed heap): a fixed heap of
     * {@code heap}, every page of it touched at start ({@code -XX:+AlwaysPreTouch}), as brokers are run in production.
     * On this kind of VM the first touch of a page costs a host-side fault (about 10 µs: a 2 GiB heap takes 4 s to
     * touch), and a broker meeting its heap page by page under load ran a fifth as fast for its first 10 to 30 s:
     * client-4's spread (15,000 to 110,000 msg/s after a 15 s warm-up) was that, and went with the pre-touch.
     */
    public static List<String> preTouchedHeap(String heap) {
        return List.of("-Xms" + heap, "-Xmx" + heap, PRE_TOUCH);
    }

    /**
     * Starts {@code java <jvmArgs> -cp <our class path> io.tunnelmq.bench.Main <args>}.
     *
     * @param inheritStderr show the child's standard error (progress lines) on ours instead of in the log
     * @param port          the port a broker child listens on, 0 for a load run
     */
    public static ChildJvm start(String name, List<String> jvmArgs, List<String> args, Path log, boolean inheritStderr,
                          int port) throws IOException {
        return start(name, jvmArgs, "io.tunnelmq.bench.Main", args, log, inheritStderr, port);
    }

    /** {@link #start(String, List, List, Path, boolean, int)} with another main class on our class path. */
    public static ChildJvm start(String name, List<String> jvmArgs, String mainClass, List<String> args, Path log,
                          boolean inheritStderr, int port) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(log.toFile());
        if (inheritStderr) {
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        } else {
            builder.redirectErrorStream(true);
        }
        return new ChildJvm(name, builder.start(), log, port);
    }

    /** A free port on the loopback address for a broker child to listen on. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * As {@link #awaitLine}, for a child that is of no use without that line (a broker's READY): closes it when the
     * line does not come (it exited, or the time ran out) and throws.
     */
    public String awaitReady(String prefix, long timeoutMillis) throws IOException, InterruptedException {
        try {
            return awaitLine(prefix, timeoutMillis);
        } catch (IllegalStateException | IOException e) {
            close();
            throw e;
        }
    }

    /** Waits for a line starting with {@code prefix} in the log; returns it. */
    public String awaitLine(String prefix, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready; see " + log.toAbsolutePath());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " was not ready within " + timeoutMillis + " ms; see "
                + log.toAbsolutePath());
    }

    /** Waits for the child to exit; kills it after {@code timeoutMillis}. Returns the exit code. */
    public int await(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            close();
            throw new IllegalStateException(name + " did not finish within " + timeoutMillis + " ms and was "
                    + "stopped; see " + log.toAbsolutePath());
        }
        return process.exitValue();
    }

    /** Whether the child still runs: a broker that died under a run did not survive it. */
    public boolean alive() {
        return process.isAlive();
    }

    public String logText() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    public Path log() {
        return log;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Asks the child to stop as a user's Ctrl-C or {@code kill} would (SIGTERM: its shutdown hooks run) and waits
     * for it; a child that lingers past {@code timeoutMillis} is killed. Returns the exit code.
     */
    public int terminate(long timeoutMillis) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** Ends the child: closing its input stops a broker cleanly; a child that lingers is killed. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
