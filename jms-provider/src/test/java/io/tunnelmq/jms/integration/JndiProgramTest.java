package io.tunnelmq.jms.integration;

import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link SendReceiveProgram} in its own JVM, configured only by a jndi.properties file on its classpath,
 * against a broker on an ephemeral port. The child must exit by itself when main returns.
 */
@Timeout(120)
class JndiProgramTest {
    private EmbeddedBroker broker;

    @BeforeEach
    void startBroker() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void plainJmsProgramConfiguredByJndiPropertiesRunsAndExits(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("jndi.properties"), String.join("\n",
                "java.naming.factory.initial = io.tunnelmq.jndi.TunnelInitialContextFactory",
                "java.naming.provider.url = tmq://127.0.0.1:" + broker.port(),
                "queue.jms/classic = program.classic",
                "queue.jms/context = program.context", ""), StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = dir + File.pathSeparator + System.getProperty("java.class.path");
        Path output = dir.resolve("output.txt");
        Process child = new ProcessBuilder(java, "-cp", classpath, SendReceiveProgram.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean exited = child.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(output);
        assertThat(exited).as("the program's JVM exits by itself when main returns; output: %s", lines).isTrue();
        assertThat(child.exitValue()).as("exit code; output: %s", lines).isZero();
        assertThat(lines).contains("classic API: 1000 messages received in order",
                "JMSContext: 1000 messages received in order");
    }
}
