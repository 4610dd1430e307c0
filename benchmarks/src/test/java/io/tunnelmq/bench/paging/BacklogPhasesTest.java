package io.tunnelmq.bench.paging;

import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.naming.Context;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The backlog phases against an embedded TunnelMQ broker, a few hundred messages: what they count and check. */
@Timeout(60)
class BacklogPhasesTest {
    private static EmbeddedBroker broker;
    @TempDir
    static Path dir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withHost("127.0.0.1").withPort(0));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static BacklogPhases phases(String queue, BacklogOptions.Phase phase, long messages, int producers,
                                        Duration idle) throws Exception {
        Path jndi = dir.resolve(queue + ".properties");
        Files.writeString(jndi, String.join("\n",
                "java.naming.factory.initial=io.tunnelmq.jndi.TunnelInitialContextFactory",
                "connectionFactory.ConnectionFactory=" + broker.url(),
                "queue.queue/bench=" + queue));
        Context context = BacklogCommand.context(jndi);
        return new BacklogPhases(new BacklogOptions(jndi, phase, messages, 128, false, producers,
                Duration.ofSeconds(20), idle), (ConnectionFactory) context.lookup("ConnectionFactory"),
                (Destination) context.lookup("queue/bench"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void aFillOfSeveralProducersDrainsInEachProducersOrder() throws Exception {
        BacklogResult fill = phases("fill", BacklogOptions.Phase.FILL, 301, 3, Duration.ofSeconds(20)).fill();
        assertThat(fill.error()).isNull();
        assertThat(fill.sent()).isEqualTo(301);
        assertThat(fill.failedSends()).isZero();
        assertThat(broker.queueDepth("fill")).isEqualTo(301);

        BacklogResult drain = phases("fill", BacklogOptions.Phase.DRAIN, 301, 1, Duration.ofSeconds(20)).drain();

        assertThat(drain.error()).isNull();
        assertThat(drain.received()).isEqualTo(301);
        assertThat(drain.orderErrors()).isZero();
        assertThat(broker.queueDepth("fill")).isZero();
    }

    @Test
    void aDrainCountsAMessageOutOfItsProducersOrderAndStopsWhenNoneComes() throws Exception {
        try (Connection c = ((ConnectionFactory) BacklogCommand.context(writeJndi("disorder"))
                .lookup("ConnectionFactory")).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("disorder"));
            for (long seq : new long[] {0, 2, 1}) {
                var m = s.createBytesMessage();
                m.setIntProperty(BacklogPhases.PRODUCER, 7);
                m.setLongProperty(BacklogPhases.SEQ, seq);
                p.send(m);
            }
        }

        // the idle limit outlasts a first receive on a busy machine (300 ms did not, at load 12)
        BacklogResult drain = phases("disorder", BacklogOptions.Phase.DRAIN, 4, 1, Duration.ofSeconds(2)).drain();

        assertThat(drain.received()).isEqualTo(3);
        assertThat(drain.orderErrors()).isEqualTo(2); // 2 after 0, then 1 after 2
        assertThat(drain.error()).contains("no message for").contains("after 3 of 4");
        assertThat(drain.left()).isEqualTo(1);
    }

    @Test
    void aMixedPhaseEndsWhenTheBacklogHasDrainedAndCountsWhatWasSentMeanwhile() throws Exception {
        phases("mixed", BacklogOptions.Phase.FILL, 200, 1, Duration.ofSeconds(20)).fill();

        BacklogResult mixed = phases("mixed", BacklogOptions.Phase.MIXED, 200, 1, Duration.ofSeconds(20)).mixed();

        assertThat(mixed.error()).isNull();
        assertThat(mixed.received()).isEqualTo(200);
        assertThat(mixed.failedSends()).isZero();
        // left: what is queued once the producer stopped (a send under way at the end completes)
        assertThat(mixed.left()).isGreaterThanOrEqualTo(mixed.sent() + 200 - mixed.received())
                .isEqualTo(broker.queueDepth("mixed"));
    }

    private static Path writeJndi(String queue) throws Exception {
        Path jndi = dir.resolve(queue + "-raw.properties");
        Files.writeString(jndi, String.join("\n",
                "java.naming.factory.initial=io.tunnelmq.jndi.TunnelInitialContextFactory",
                "connectionFactory.ConnectionFactory=" + broker.url()));
        return jndi;
    }
}
