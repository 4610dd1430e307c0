package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.ConsumerSpec;
import io.tunnelmq.jms.engine.Delivery;
import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineConsumer;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.tunnelmq.jms.Eventually.eventually;
import static io.tunnelmq.jms.failover.FailoverFixture.WAIT;
import static io.tunnelmq.jms.failover.FailoverFixture.await;
import static io.tunnelmq.jms.failover.FailoverFixture.connect;
import static io.tunnelmq.jms.failover.FailoverFixture.failover;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A copy the new broker could not know of — a persistent send whose receipt was lost with the first broker, resent to
 * and stored by the second — reaches the application flagged when the application saw the message before the loss.
 */
@Timeout(20)
class SeenBeforeRestoreTest {
    private static final WireDestination QUEUE = WireDestination.queue("q");

    private final FakeEngine engine = new FakeEngine();
    private final FailoverFixture.Events events = new FailoverFixture.Events();
    private final FailoverFixture.Listener listener = new FailoverFixture.Listener();

    @Test
    void aFirstDeliveryOfAMessageSeenOnTheLostLinkCountsAsTheSecond() throws Exception {
        EngineConnection c = connect(engine, events, failover(0, "h:1", "h:2"));
        EngineSession s = await(c.openSession(false, 1));
        EngineConsumer consumer = await(s.createConsumer(ConsumerSpec.of(QUEUE, null, 10), listener));
        engine.link(1).sessions.get(0).consumers.get(0).deliver(1, "ID:seen");
        s.handedOut(listener.lastToken());

        engine.link(1).fail();
        eventually("restored", WAIT, () -> events.restored.size() == 1);
        FakeEngine.FakeConsumer onSecond = engine.link(2).sessions.get(0).consumers.get(0);
        onSecond.deliver(1, "ID:seen");
        onSecond.deliver(2, "ID:new");

        assertThat(listener.deliveries).extracting(d -> d.message().messageId() + " " + d.deliveryCount())
                .containsExactly("ID:seen 1", "ID:seen 2", "ID:new 1");
        assertThat(listener.deliveries.get(1)).extracting(Delivery::lockToken).isNotEqualTo(listener.deliveries
                .get(0).lockToken());
        await(consumer.close(new long[0]));
    }
}
