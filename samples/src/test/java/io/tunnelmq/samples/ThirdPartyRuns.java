package io.tunnelmq.samples;

import io.tunnelmq.server.EmbeddedBroker;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs third-party programs against one test's broker, and the checks every such run shares. */
final class ThirdPartyRuns {
    /** Generous: the slowest program (Artemis' transactional example) waits 15 s by design. */
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final EmbeddedBroker broker;
    private final Path scratch;

    ThirdPartyRuns(EmbeddedBroker broker, Path scratch) {
        this.broker = broker;
        this.scratch = scratch;
    }

    /** Runs {@code mainClass} in its own JVM, with JNDI's provider URL pointing at this test's broker. */
    ProgramRun run(String name, List<Path> classpath, List<String> jvmOptions, String mainClass, List<String> args,
                   Path workDir) throws Exception {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Djava.naming.provider.url=" + broker.url());
        return ChildJvm.mainClass(name, classpath, options, mainClass, args).workDir(workDir).timeout(TIMEOUT)
                .run(scratch);
    }

    /**
     * The run ended by itself, with status 0, printed none of the sample programs' failure reports, and our client
     * logged no warning or error (slf4j-simple is on the programs' class path).
     */
    static void assertSucceeded(ProgramRun run) {
        assertThat(run.exited()).as("the JVM ends by itself; %s", run.transcript()).isTrue();
        assertThat(run.exitCode()).as(run.transcript()).isZero();
        assertThat(run.lines()).as(run.transcript()).noneMatch(l -> l.contains("Exception occurred")
                || l.contains("Connection problem") || l.startsWith("Exception in thread"));
        assertNoClientComplaints(run);
    }

    static void assertNoClientComplaints(ProgramRun run) {
        assertThat(run.lines()).as("TunnelMQ's client logged a problem; %s", run.transcript())
                .noneMatch(l -> l.contains(" WARN io.tunnelmq.") || l.contains(" ERROR io.tunnelmq."));
    }

    /** Waits (up to 5 s: AUTO_ACKNOWLEDGE settles without waiting for the broker) for a queue's depth. */
    void awaitQueueDepth(String queue, long depth, ProgramRun after) throws InterruptedException {
        Eventually.eventually(depth + " message(s) left on " + queue + " after " + after.transcript(),
                Duration.ofSeconds(5), () -> broker.queueDepth(queue) == depth);
    }

    /** A directory of this module's test resources (holding a family's jndi.properties). */
    static Path resourceDirectory(String name) throws URISyntaxException {
        URL url = ThirdPartyRuns.class.getResource("/" + name + "/jndi.properties");
        if (url == null) {
            throw new IllegalStateException("test resource " + name + "/jndi.properties is missing");
        }
        return Path.of(url.toURI()).getParent();
    }
}
