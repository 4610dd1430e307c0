package io.tunnelmq.jms.integration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A broker in a separate JVM, for tests that need its own heap: the shaded broker jar built by the reactor
 * ({@code jms-server/target/jms-server.jar}), or — when a test runs without the package phase, so the jar is missing
 * or older than the broker's classes — the broker's classes from this JVM's class path. Its output is kept for
 * assertions.
 */
final class BrokerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (tmq://\\S+)");
    private static final Path JAR = Path.of("..", "jms-server", "target", "jms-server.jar");

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final CompletableFuture<String> url = new CompletableFuture<>();

    private BrokerProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readOutput, "broker-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a broker on a free port with these JVM options and waits for its "listening on" line. */
    static BrokerProcess start(Path dataDir, String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        if (jarIsCurrent()) {
            command.addAll(List.of("-jar", JAR.toString()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tunnelmq.server.Broker"));
        }
        command.addAll(List.of("--port", "0", "--data", dataDir.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BrokerProcess broker = new BrokerProcess(process);
        try {
            broker.url.get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            broker.close();
            throw new AssertionError("the broker process printed no 'listening on' line within 30 s: "
                    + String.join(" ", command) + "\n" + broker.output(), e);
        }
        return broker;
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

    String url() {
        return url.join();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        return output.toString();
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                output.append(line).append(System.lineSeparator());
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    url.complete(m.group(1));
                }
            }
        } catch (IOException e) {
            output.append("[reading the broker's output failed: ").append(e).append("]");
        }
        url.completeExceptionally(new IllegalStateException("the broker process ended:\n" + output));
    }

    /** Kills the broker at once ({@code kill -9}): no shutdown hook, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the broker process survived kill -9 for 10 s");
        }
    }

    @Override
    public void close() {
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
        return "broker process " + process.pid();
    }
}
