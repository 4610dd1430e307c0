package io.tunnelmq.server;

import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.queue.QueueStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.Set;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.Messages.withBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer whose client stops reading its socket: the broker stops delivering to it once its connection is not
 * writable (instead of queueing every message it has credit for in memory), other connections keep flowing, and
 * deliveries resume when the client reads again.
 */
@Timeout(60)
class StalledConsumerTest {
    private static final WireDestination STALL = WireDestination.queue("stall");
    private static final WireDestination FLOW = WireDestination.queue("flow");
    private static final int COUNT = 500;
    private static final int BODY = 64 * 1024;

    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        // the raw test client does not keep to its send window: no consumer lag limit to hold it back
        broker = EmbeddedBroker.start(BrokerFixture.config().withConsumerLagBytes(0));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void aStalledConsumerIsNotFloodedAndDoesNotSlowOthersAndResumesWhenItReadsAgain() throws Exception {
        try (TestClient stalled = TestClient.open(broker); TestClient producer = TestClient.open(broker);
             TestClient flowing = TestClient.open(broker)) {
            int stalledSession = stalled.openSession(false);
            stalled.createConsumer(stalledSession, 1, STALL, 100_000); // credit for everything; then it stops reading
            int producing = producer.openSession(false);
            for (int i = 0; i < COUNT; i++) {
                producer.sendMessage(producing, withBody(STALL, "s" + i, BODY));
            }
            eventually("every message in the queue", () -> broker.queueStats("stall").depth() == COUNT);
            QueueStats stats = broker.queueStats("stall");
            System.out.println("stalled consumer holds " + stats.locked() + " of " + COUNT + " messages of 64 KiB");
            assertThat(stats.locked()).as("what fits the socket buffers and the write-buffer high mark, not the credit")
                    .isLessThan(COUNT / 2);

            // another connection keeps flowing meanwhile
            int flowSession = flowing.openSession(false);
            flowing.createConsumer(flowSession, 1, FLOW, 200);
            for (int i = 0; i < 200; i++) {
                producer.sendMessage(producing, withBody(FLOW, "f" + i, 1024));
                Deliver d = flowing.awaitDelivery(flowSession, 1);
                assertThat(d.message().messageId()).isEqualTo("f" + i);
                flowing.settleAndForget(flowSession, SettleOutcome.COMPLETE, d.lockToken());
            }

            // the stalled client reads again: everything arrives, so delivery resumed when it became writable
            Set<String> received = new HashSet<>();
            for (int i = 0; i < COUNT; i++) {
                Deliver d = stalled.awaitDelivery(stalledSession, 1);
                received.add(d.message().messageId());
            }
            assertThat(received).hasSize(COUNT);
        }
    }
}
