package io.tunnelmq.jms.integration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A broker in a separate JVM, for tests that need its own heap or must kill it: the shaded broker jar built by the
 * reactor ({@code jms-server/target/jms-server.jar}), or — when a test runs without the package phase, so the jar is
 * missing or older than the broker's classes — the broker's classes from this JVM's class path. Its output (of every
 * run) is kept for assertions.
 *
 * <p>{@link #kill()} and {@link #restart()} take it down with SIGKILL and bring it back with the same command: the
 * same data directory, broker arguments and port. Restarts need a fixed port ({@link #freePort()}): on port 0 every
 * run would listen somewhere else.
 */
final class BrokerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (tmq://\\S+)");
    private static final Path JAR = Path.of("..", "jms-server", "target", "jms-server.jar");
    private static final long START_TIMEOUT_SECONDS = 30;
    /** Exit value of a process ended by SIGKILL (128 + 9). */
    private static final int KILLED = 137;

    private final List<String> command;
    private final int port;
    private final StringBuffer output = new StringBuffer();
    private volatile Run run;

    /** One JVM of this broker: its process, its URL once it listens and when that was read. */
    private record Run(Process process, CompletableFuture<String> url, CompletableFuture<Long> listeningNanos) {
    }

    private BrokerProcess(List<String> command, int port) {
        this.command = List.copyOf(command);
        this.port = port;
    }

    /** Starts a broker on a free port with these JVM options and waits for its "listening on" line. */
    static BrokerProcess start(Path dataDir, String... jvmOptions) throws Exception {
        return start(dataDir, 0, List.of(jvmOptions), List.of());
    }

    /**
     * Starts a broker on {@code port} (0: a free one, which a restart would not keep) with these JVM options and
     * extra broker arguments (such as {@code --peers host:port}), and waits for its "listening on" line.
     */
    static BrokerProcess start(Path dataDir, int port, List<String> jvmOptions, List<String> brokerArguments)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (jarIsCurrent()) {
            command.addAll(List.of("-jar", JAR.toString()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tunnelmq.server.Broker"));
        }
        command.addAll(List.of("--port", Integer.toString(port), "--data", dataDir.toString()));
        command.addAll(brokerArguments);
        BrokerProcess broker = new BrokerProcess(command, port);
        broker.launch();
        return broker;
    }

    /**
     * A loopback port that was free a moment ago, for a broker that must come back on the same port. (Another process
     * could take it before the broker binds it; on a test machine that is rare enough.)
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** The jar exists and is not older than the broker's compiled classes (a quick loop may not have packaged). */
    private static boolean jarIsCurrent() throws IOException {
        if (!Files.isRegularFile(JAR)) {
            return false;
        }
        Path classes = Path.of("..", "jms-server", "target", "classes");
        if (!Files.isDirectory(classes)) {
            return true;
        }
        long jarTime = Files.getLastModifiedTime(JAR).toMillis();
        try (var files = Files.walk(classes)) {
            return files.filter(Files::isRegularFile).allMatch(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis() <= jarTime;
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    private void launch() throws Exception {
        output.append("---- starting: ").append(String.join(" ", command).replace(System.getProperty("java.class.path"),
                "<the test class path>")).append(System.lineSeparator());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Run started = new Run(process, new CompletableFuture<>(), new CompletableFuture<>());
        run = started;
        Thread reader = new Thread(() -> readOutput(started), "broker-process-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            started.url().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            close();
            throw new AssertionError("the broker process printed no 'listening on' line within "
                    + START_TIMEOUT_SECONDS + " s: " + String.join(" ", command) + "\n" + output(), e);
        } catch (ExecutionException e) {
            close();
            throw new AssertionError("the broker process ended before it listened, exit value "
                    + process.waitFor() + ":\n" + output());
        }
    }

    /**
     * Starts the broker again after {@link #kill()} or {@link #close()}, with the same command (data directory, port,
     * arguments), and waits for its "listening on" line.
     */
    void restart() throws Exception {
        if (run.process().isAlive()) {
            throw new IllegalStateException(this + " still runs: kill it first");
        }
        if (port == 0) {
            throw new IllegalStateException("a broker started on port 0 would come back on another port");
        }
        launch();
    }

    /** The URL of the running broker ({@code tmq://host:port}). */
    String url() {
        return run.url().join();
    }

    /** The running broker's {@code host:port}, as a failover URL lists it and the connection listener names it. */
    String address() {
        return url().substring("tmq://".length());
    }

    /** {@link System#nanoTime()} when this run's "listening on" line was read. */
    long listeningNanos() {
        return run.listeningNanos().join();
    }

    boolean isAlive() {
        return run.process().isAlive();
    }

    /** Everything every run printed so far, each run headed by its command line. */
    String output() {
        return output.toString();
    }

    private void readOutput(Run reading) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(reading.process().getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                output.append(line).append(System.lineSeparator());
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    reading.listeningNanos().complete(System.nanoTime());
                    reading.url().complete(m.group(1));
                }
            }
        } catch (IOException e) {
            output.append("[reading the broker's output failed: ").append(e).append("]");
        }
        reading.url().completeExceptionally(new IllegalStateException("the broker process ended before it listened"));
        reading.listeningNanos().completeExceptionally(new IllegalStateException("the broker process ended"));
    }

    /**
     * Kills the broker at once with SIGKILL ({@code kill -9}: no shutdown hook, no flush, sockets reset by the
     * kernel) and waits until it is gone. {@link Process#destroyForcibly()} sends SIGKILL on Linux and macOS; the
     * exit value proves it.
     */
    void kill() throws InterruptedException {
        Process process = run.process();
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the broker process survived kill -9 for 10 s");
        }
        if (process.exitValue() != KILLED) {
            throw new AssertionError("the broker process ended with " + process.exitValue() + ", not by SIGKILL ("
                    + KILLED + "):\n" + output());
        }
        output.append("---- killed with SIGKILL").append(System.lineSeparator());
    }

    /** The process id of the broker running now. */
    long pid() {
        return run.process().pid();
    }

    @Override
    public void close() {
        Process process = run.process();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "broker process " + run.process().pid() + " on port " + port;
    }
}
