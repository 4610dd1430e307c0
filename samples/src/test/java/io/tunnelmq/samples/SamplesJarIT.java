package io.tunnelmq.samples;

import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged {@code samples.jar} as the README runs it: {@code java -jar samples/target/samples.jar <name>}. Its
 * own jndi.properties, the client and its logging must all be inside.
 */
@Timeout(120)
class SamplesJarIT {
    @TempDir
    Path scratch;

    @Test
    void theJarListsItsSamples() throws Exception {
        ProgramRun run = ChildJvm.jar("java -jar samples.jar", jar(), List.of(), List.of()).run(scratch);
        assertThat(run.exitCode()).as(run.transcript()).isEqualTo(Samples.USAGE);
        assertThat(run.lines()).as(run.transcript()).anyMatch(l -> l.startsWith("  request-reply "));
    }

    @Test
    void theJarRunsASampleAgainstABrokerAndEnds() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0)
                .withDataDir(scratch.resolve("data")))) {
            ProgramRun run = ChildJvm.jar("java -jar samples.jar peek-lock", jar(),
                    List.of("-Djava.naming.provider.url=" + broker.url()), List.of("peek-lock"))
                    .timeout(Duration.ofSeconds(60)).run(scratch);
            assertThat(run.exited()).as(run.transcript()).isTrue();
            assertThat(run.exitCode()).as(run.transcript()).isZero();
            assertThat(run.lines()).as(run.transcript())
                    .contains("on DLQ.samples.jobs: 'parse garbage', reason: not a job we understand")
                    .noneMatch(l -> l.contains("SLF4J")); // the logging binding is inside the jar
        }
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("samples.jar", "target/samples.jar"));
        assertThat(jar).as("the package phase builds it").isRegularFile();
        assertThat(Files.isReadable(jar)).isTrue();
        return jar;
    }
}
