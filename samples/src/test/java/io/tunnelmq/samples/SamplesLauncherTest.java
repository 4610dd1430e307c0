package io.tunnelmq.samples;

import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Samples#main} in a JVM of its own, as {@code java -jar samples.jar} runs it: the list of samples, exit
 * statuses, where the broker URL and names come from, and that the JVM ends by itself after a sample.
 */
@Timeout(120)
class SamplesLauncherTest {
    @TempDir
    Path scratch;
    private EmbeddedBroker broker;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0).withDataDir(scratch.resolve("data")));
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void withoutANameListsTheSamplesAndExitsWith2() throws Exception {
        ProgramRun run = launch(List.of(), List.of());
        assertThat(run.exited()).as(run.transcript()).isTrue();
        assertThat(run.exitCode()).as(run.transcript()).isEqualTo(Samples.USAGE);
        assertThat(run.lines()).as(run.transcript()).contains("usage: java -jar samples.jar <sample> [args]");
        for (String name : Samples.ALL.keySet()) {
            assertThat(run.lines()).as(run.transcript()).anyMatch(l -> l.startsWith("  " + name + " "));
        }
    }

    @Test
    void anUnknownNameIsNamedAndTheSamplesListed() throws Exception {
        ProgramRun run = launch(List.of(), List.of("no-such-sample"));
        assertThat(run.exitCode()).as(run.transcript()).isEqualTo(Samples.USAGE);
        assertThat(run.lines()).as(run.transcript()).contains("unknown sample 'no-such-sample'")
                .anyMatch(l -> l.startsWith("  peek-lock "));
    }

    @Test
    void aSampleRunsAgainstTheBrokerOfTheSystemPropertyAndTheJvmEndsByItself() throws Exception {
        ProgramRun run = launch(List.of("-Djava.naming.provider.url=" + broker.url()), List.of("queue", "2"));
        assertThat(run.exited()).as("the JVM ends once main returns; %s", run.transcript()).isTrue();
        assertThat(run.exitCode()).as(run.transcript()).isZero();
        assertThat(run.lines()).as(run.transcript()).containsSubsequence("sent: order #1", "sent: order #2",
                "received: order #1", "received: order #2", "received 2 messages from samples.orders");
    }

    /** Each sample closes what it opened: its JVM ends when main returns, with status 0 and no warning logged. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.tunnelmq.samples.SamplesTest#names")
    void everySampleEndsItsJvmByItself(String name) throws Exception {
        ProgramRun run = launch(List.of("-Djava.naming.provider.url=" + broker.url()), List.of(name));
        assertThat(run.exited()).as("the JVM ends once main returns; %s", run.transcript()).isTrue();
        assertThat(run.exitCode()).as(run.transcript()).isZero();
        assertThat(run.lines()).as(run.transcript()).isNotEmpty()
                .noneMatch(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("Exception"));
    }

    @Test
    void aJndiPropertiesEarlierOnTheClassPathWinsOverTheSamplesOwn() throws Exception {
        Path mine = Files.createDirectories(scratch.resolve("my-config"));
        Files.writeString(mine.resolve("jndi.properties"), String.join("\n",
                "java.naming.provider.url = " + broker.url(),
                "queue.samples/orders = my.orders", ""), StandardCharsets.UTF_8);
        ProgramRun run = launch(mine, List.of(), List.of("queue", "1"));
        assertThat(run.exitCode()).as(run.transcript()).isZero();
        assertThat(run.lines()).as(run.transcript()).contains("received 1 messages from my.orders");
    }

    @Test
    void aSampleThatFailsSaysWhyAndExitsWith1() throws Exception {
        String url = broker.url();
        broker.close(); // nothing listens there any more
        ProgramRun run = launch(List.of("-Djava.naming.provider.url=" + url), List.of("transacted"));
        assertThat(run.exited()).as(run.transcript()).isTrue();
        assertThat(run.exitCode()).as(run.transcript()).isEqualTo(Samples.FAILED);
        assertThat(run.lines()).as(run.transcript()).anyMatch(l -> l.startsWith("sample 'transacted' failed: "));
    }

    @Test
    void aBrokenJndiConfigurationFailsWithItsReason() throws Exception {
        ProgramRun run = launch(List.of("-Djava.naming.provider.url=http://not-a-broker"), List.of("queue"));
        assertThat(run.exitCode()).as(run.transcript()).isEqualTo(Samples.FAILED);
        assertThat(run.lines()).as(run.transcript()).anyMatch(l -> l.startsWith("sample 'queue' failed: ")
                && l.contains("java.naming.provider.url"));
    }

    @Test
    void aBadArgumentFailsWithItsReason() throws Exception {
        ProgramRun run = launch(List.of("-Djava.naming.provider.url=" + broker.url()), List.of("topic", "lots"));
        assertThat(run.exitCode()).as(run.transcript()).isEqualTo(Samples.FAILED);
        assertThat(run.lines()).as(run.transcript()).contains("sample 'topic' failed: java.lang.IllegalArgumentException: "
                + "the message count must be a whole number above 0, not 'lots'");
    }

    private ProgramRun launch(List<String> jvmOptions, List<String> args) throws Exception {
        return launch(null, jvmOptions, args);
    }

    private ProgramRun launch(Path firstOnClassPath, List<String> jvmOptions, List<String> args) throws Exception {
        List<Path> classpath = new ArrayList<>();
        if (firstOnClassPath != null) {
            classpath.add(firstOnClassPath);
        }
        classpath.add(Path.of(Samples.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        classpath.addAll(ProgramClasspath.client());
        return ChildJvm.mainClass("samples " + String.join(" ", args), classpath, jvmOptions,
                Samples.class.getName(), args).timeout(Duration.ofSeconds(60)).run(scratch);
    }
}
