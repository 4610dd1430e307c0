package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The broker's memory is bounded: a broker with a 256 MiB heap takes a producer of 100,000 non-persistent 8 KiB
 * messages (800 MB) to a queue nobody consumes. With paging (the default) the producer finishes without a failed
 * send, the backlog waits on disk and the broker's resident memory stays far below the backlog; without paging the
 * producer is held by its send window (not refused, not disconnected). Either way a consumer then gets every
 * message in order and the broker is still up, without OutOfMemoryError.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FlowControlFloodTest {
    private static final int COUNT = 100_000;
    private static final int BODY = 8 * 1024;
    /** The bound for a 256 MiB heap holding an 800 MB backlog. */
    private static final long MAX_RESIDENT_BYTES = 600L << 20;

    @Test
    void aBrokerWith256MegabytesOfHeapPagesAnEightHundredMegabyteBacklog(@TempDir Path data) throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(data, "-Xmx256m")) {
            TunnelConnectionFactory factory = new TunnelConnectionFactory(broker.url());
            try (Connection producing = factory.createConnection(); Connection consuming = factory.createConnection()) {
                assertThat(produce(producing)).as("every send returned, none failed").isEqualTo(COUNT);
                assertThat(broker.isAlive()).as("broker alive with the backlog:\n" + broker.output()).isTrue();
                long peak = peakResidentBytes(broker.pid());
                assertThat(peak).as("the broker's peak resident memory holding 800 MB of messages")
                        .isLessThan(MAX_RESIDENT_BYTES);
                receiveAll(broker, consuming);
            }
            assertThat(broker.isAlive()).as("broker alive after the flood:\n" + broker.output()).isTrue();
            assertThat(broker.output()).doesNotContain("OutOfMemoryError");
        }
    }

    @Test
    void withoutPagingTheProducerIsHeldUntilAConsumerMakesRoom(@TempDir Path data) throws Exception {
        Path config = data.resolveSibling(data.getFileName() + ".properties");
        Files.writeString(config, "paging=false\n");
        try (BrokerProcess broker = BrokerProcess.start(data, 0, List.of("-Xmx256m"),
                List.of("--config", config.toString()))) {
            TunnelConnectionFactory factory = new TunnelConnectionFactory(broker.url());
            try (Connection producing = factory.createConnection(); Connection consuming = factory.createConnection()) {
                CompletableFuture<Integer> producer = CompletableFuture.supplyAsync(() -> produce(producing));

                // nobody consumes for 10 s: the producer must be held by the window, not finish or fail
                assertThatThrownBy(() -> producer.get(10, TimeUnit.SECONDS))
                        .as("800 MB cannot fit in a 256 MiB broker: the producer must be held")
                        .isInstanceOf(TimeoutException.class);
                assertThat(broker.isAlive()).as("broker alive while full:\n" + broker.output()).isTrue();
                receiveAll(broker, consuming);
                assertThat(producer.get(60, TimeUnit.SECONDS)).isEqualTo(COUNT);
            }
            assertThat(broker.isAlive()).as("broker alive after the flood:\n" + broker.output()).isTrue();
            assertThat(broker.output()).doesNotContain("OutOfMemoryError");
        }
    }

    private static void receiveAll(BrokerProcess broker, Connection consuming) throws Exception {
        Session session = consuming.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue("flood"));
        consuming.start();
        for (int i = 0; i < COUNT; i++) {
            Message m = consumer.receive(30_000);
            assertThat(m).as("message " + i + " of " + COUNT + " within 30 s; broker alive: "
                    + broker.isAlive() + "\n" + broker.output()).isNotNull();
            assertThat(m.getIntProperty("seq")).isEqualTo(i);
            assertThat(((BytesMessage) m).getBodyLength()).isEqualTo(BODY);
        }
        assertThat(consumer.receiveNoWait()).isNull();
    }

    /** VmHWM of a Linux process: the most memory it has had resident. */
    private static long peakResidentBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmHWM in /proc/" + pid + "/status");
    }

    private static int produce(Connection connection) {
        try {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("flood");
            MessageProducer producer = session.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            byte[] body = new byte[BODY];
            for (int i = 0; i < COUNT; i++) {
                BytesMessage m = session.createBytesMessage();
                m.writeBytes(body);
                m.setIntProperty("seq", i);
                producer.send(m);
            }
            return COUNT;
        } catch (Exception e) {
            throw new IllegalStateException("producing failed: " + e, e);
        }
    }
}
