package io.tunnelmq.jms.client.fake;

import io.tunnelmq.jms.ConnectionOptions;
import io.tunnelmq.jms.EngineFactories;
import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.protocol.ErrorCode;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.jms.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Non-persistent sends are pipelined: a producer does not wait for each message to be written (no hand-off per
 * message), but only once 64 of its sends are still on their way. In this package to hold the fake engine's loop.
 */
@Timeout(20)
class PipelinedSendTest {
    private final FakeBroker broker = new FakeBroker();

    @AfterEach
    void stop() {
        broker.close();
    }

    private Connection connect() throws Exception {
        TunnelConnectionFactory factory = EngineFactories.connectionFactory(ConnectionOptions.parse("tmq://fake:1"),
                broker.factory());
        return factory.createConnection();
    }

    private static MessageProducer nonPersistentProducer(Session s) throws Exception {
        MessageProducer p = s.createProducer(s.createQueue("q"));
        p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        return p;
    }

    /** Holds the fake engine's loop, so it writes nothing until the latch is released. */
    private CountDownLatch holdLoop() {
        CountDownLatch release = new CountDownLatch(1);
        broker.loop.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return release;
    }

    @Test
    void nonPersistentSendsReturnWithoutWaitingForTheirWriteUpToThePipelineDepth() throws Exception {
        try (Connection c = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = nonPersistentProducer(s);

            CountDownLatch release = holdLoop();
            CompletableFuture<Void> pipelined = CompletableFuture.runAsync(() -> send(p, s, 0, 64));
            pipelined.get(5, TimeUnit.SECONDS); // returned although none of them was written

            CompletableFuture<Void> beyond = CompletableFuture.runAsync(() -> send(p, s, 64, 65));
            assertThat(beyond).as("the 65th send waits for its write").isNotDone();
            release.countDown();
            beyond.get(5, TimeUnit.SECONDS);

            broker.sync();
            assertThat(broker.depth("q")).isEqualTo(65);
        }
    }

    @Test
    void aSendThatFailsWhileItsProducerWaitsForItIsReportedOnceByThatSend() throws Exception {
        try (Connection c = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = nonPersistentProducer(s);
            CountDownLatch release = holdLoop();
            send(p, s, 0, 64);
            broker.loop.execute(() -> broker.failNext("send", ErrorCode.RESOURCE_EXHAUSTED)); // the 65th fails

            CompletableFuture<Void> waiting = new CompletableFuture<>();
            Thread sender = new Thread(() -> {
                try {
                    send(p, s, 64, 65);
                    waiting.complete(null);
                } catch (RuntimeException e) {
                    waiting.completeExceptionally(e);
                }
            }, "65th-send");
            sender.start();
            eventually("the 65th send waits for its write", Duration.ofSeconds(5),
                    () -> sender.getState() == Thread.State.TIMED_WAITING || sender.getState() == Thread.State.WAITING);
            release.countDown();

            assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS))
                    .hasMessageContaining(ResourceAllocationException.class.getName())
                    .hasMessageContaining(":65 to queue://q failed: injected failure of send");
            p.send(s.createTextMessage("next")); // not told again of the 65th
            broker.sync();
            assertThat(broker.depth("q")).isEqualTo(65);
        }
    }

    @Test
    void aRefusalThatComesAfterTheSendLeftThePipelineIsReportedByTheNextSend() throws Exception {
        try (Connection c = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = nonPersistentProducer(s);
            broker.holdConfirmations(); // written, and answered later
            send(p, s, 0, 1);
            broker.sync();
            send(p, s, 1, 2); // looks at the first: written, so it leaves the pipeline unanswered

            broker.failNext("held confirm", ErrorCode.RESOURCE_EXHAUSTED);
            broker.releaseConfirmations();
            broker.sync();

            assertThatThrownBy(() -> p.send(s.createTextMessage("next")))
                    .isInstanceOf(ResourceAllocationException.class)
                    .hasMessageContaining("an earlier non-persistent send").hasMessageContaining(":1 to queue://q");
            p.send(s.createTextMessage("then it works"));
        }
    }

    private static void send(MessageProducer p, Session s, int from, int to) {
        try {
            for (int i = from; i < to; i++) {
                p.send(s.createTextMessage("m" + i));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
