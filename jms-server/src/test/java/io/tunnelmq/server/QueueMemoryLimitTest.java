package io.tunnelmq.server;

import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.frame.WindowUpdate;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.tunnelmq.server.Messages.withBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue at its own memory limit holds its producers by their window — the Oks of sends to it report no free
 * space — without refusing or disconnecting them, while the broker as a whole has room; draining the queue sends
 * a WindowUpdate that lets them go on.
 */
@Timeout(30)
class QueueMemoryLimitTest {
    private static final WireDestination SMALL = WireDestination.queue("small");
    private static final long LIMIT = 64 * 1024;

    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerFixture.config().withQueueMaxBytes("small", LIMIT));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void aFullQueueClosesItsProducersWindowUntilItDrains() throws Exception {
        try (TestClient producer = TestClient.open(broker); TestClient consumer = TestClient.open(broker)) {
            int session = producer.openSession(false);
            int sent = 0;
            Ok last;
            do {
                last = producer.sendMessage(session, withBody(SMALL, "m" + sent, 4000));
                sent++;
                assertThat(sent).as("the window never closed").isLessThan(100);
            } while (last.freeBytes() >= 4000);
            assertThat(broker.queueDepth("small")).isEqualTo(sent);
            assertThat(broker.memoryUsed()).as("held to about the queue's limit").isLessThan(LIMIT + 8000);

            int s = consumer.openSession(false);
            consumer.createConsumer(s, 1, SMALL, 1000);
            for (int i = 0; i < sent; i++) {
                Deliver d = consumer.awaitDelivery(s, 1);
                consumer.settleAndForget(s, SettleOutcome.COMPLETE, d.lockToken());
            }

            WindowUpdate update = producer.await(WindowUpdate.class, u -> true);
            assertThat(update.freeBytes()).isGreaterThanOrEqualTo(LIMIT / 4);
            // the completes are fire-and-forget: the update may come before the last of them is applied
            BrokerFixture.eventually("the queue drained", () -> broker.queueDepth("small") == 0);
            assertThat(producer.sendMessage(session, withBody(SMALL, "after", 4000)).freeBytes()).isPositive();
        }
    }
}
