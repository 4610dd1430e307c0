package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.ConsumerSpec;
import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineConsumer;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.tunnelmq.jms.Eventually.eventually;
import static io.tunnelmq.jms.failover.FailoverFixture.WAIT;
import static io.tunnelmq.jms.failover.FailoverFixture.await;
import static io.tunnelmq.jms.failover.FailoverFixture.connect;
import static io.tunnelmq.jms.failover.FailoverFixture.failover;
import static io.tunnelmq.jms.failover.FakeEngine.message;
import static org.assertj.core.api.Assertions.assertThat;

/** What a new link gets, in which order, before the facade's own work resumes. */
@Timeout(20)
class RestoreOrderTest {
    private static final WireDestination QUEUE = WireDestination.queue("q");

    private final FakeEngine engine = new FakeEngine();
    private final FailoverFixture.Events events = new FailoverFixture.Events();
    private final FailoverFixture.Listener first = new FailoverFixture.Listener();
    private final FailoverFixture.Listener second = new FailoverFixture.Listener();

    @Test
    void temporariesThenSessionsWithTheirConsumersThenResendsThenWhatWaited() throws Exception {
        EngineConnection c = connect(engine, events, failover(0, "h:1"));
        WireDestination temp = WireDestination.queue("temp-1");
        WireDestination deleted = WireDestination.queue("temp-2");
        await(c.createTemporary(temp));
        await(c.createTemporary(deleted));
        await(c.deleteTemporary(deleted));
        EngineSession s1 = await(c.openSession(false, 1));
        EngineSession s2 = await(c.openSession(false, 2));
        EngineConsumer stopped = await(s1.createConsumer(ConsumerSpec.of(QUEUE, null, 10), first, true));
        EngineConsumer pulling = await(s2.createConsumer(ConsumerSpec.of(QUEUE, null, 0), second));
        pulling.pull();
        // s2's consumer saw two messages: one handed out (its id is told again), one never
        FakeEngine.FakeConsumer innerPulling = engine.link(1).sessions.get(1).consumers.get(0);
        innerPulling.deliver(1, "ID:seen");
        s2.handedOut(second.lastToken());
        innerPulling.deliver(2, "ID:unseen");
        pulling.pull();
        s1.send(message("m1", true), new ProducerStamp(UUID.randomUUID(), 1));
        engine.down.add("h:1");
        engine.link(1).fail();
        CompletableFuture<Void> queued = s2.unsubscribe("sub");
        engine.log.clear();

        engine.down.clear();
        eventually("restored", WAIT, () -> events.restored.size() == 1);

        assertThat(engine.log).containsExactly(
                "link 2: createTemporary temp-1",
                "link 2: openSession",
                "link 2: createConsumer seen=[] creditHeld=true",
                "link 2: openSession",
                "link 2: createConsumer seen=[ID:seen] creditHeld=false",
                "link 2: send m1 stamp 1",
                "link 2: unsubscribe sub");
        await(queued);
        assertThat(first.interrupted.get()).isEqualTo(1);
        assertThat(second.interrupted.get()).isEqualTo(1);
        assertThat(events.interrupted).hasSize(1);

        // the ring starts again on the new link
        engine.link(2).fail();
        eventually("restored again", WAIT, () -> events.restored.size() == 2);
        assertThat(engine.log).contains("link 3: createConsumer seen=[] creditHeld=false");
    }

    @Test
    void aConsumerTheBrokerRefusesOnRestoreIsClosedAndRestoreGoesOn() throws Exception {
        EngineConnection c = connect(engine, events, failover(0, "h:1"));
        EngineSession s = await(c.openSession(false, 1));
        await(s.createConsumer(ConsumerSpec.of(QUEUE, null, 10), first));
        engine.refuseConsumers = ErrorCode.INVALID_SUBSCRIPTION;

        engine.link(1).fail();
        eventually("restored", WAIT, () -> events.restored.size() == 1);

        assertThat(first.closed).singleElement().satisfies(e -> assertThat(e.code())
                .isEqualTo(ErrorCode.INVALID_SUBSCRIPTION));
        engine.refuseConsumers = null;
        engine.link(2).fail();
        eventually("restored again", WAIT, () -> events.restored.size() == 2);
        assertThat(engine.link(3).sessions.get(0).consumers).as("not opened again").isEmpty();
    }

    @Test
    void aLossDuringRestoreReconnectsAgainWithoutTellingTheFacadeTwice() throws Exception {
        EngineConnection c = connect(engine, events, failover(0, "h:1"));
        EngineSession s = await(c.openSession(false, 1));
        await(s.createConsumer(ConsumerSpec.of(QUEUE, null, 10), first));
        engine.holdAnswers = true;

        engine.link(1).fail();
        eventually("second link is restoring", WAIT, () -> engine.links.size() == 2
                && !engine.link(2).pending.isEmpty());
        engine.holdAnswers = false;
        engine.link(2).fail();

        eventually("restored", WAIT, () -> events.restored.size() == 1);
        assertThat(events.interrupted).hasSize(1);
        assertThat(engine.connects).contains("h:1 resume=c2");
        assertThat(engine.last().sessions.get(0).consumers).hasSize(1);
        assertThat(events.failed).isEmpty();
    }

    @Test
    void requestsCutByTheLossAreIssuedAgainAndClosesComplete() throws Exception {
        EngineConnection c = connect(engine, events, failover(0, "h:1"));
        EngineSession s = await(c.openSession(false, 1));
        EngineConsumer consumer = await(s.createConsumer(ConsumerSpec.of(QUEUE, null, 10), first));
        engine.holdAnswers = true;
        CompletableFuture<Void> unsubscribe = s.unsubscribe("sub");
        CompletableFuture<EngineSession> opening = c.openSession(true, 0);
        CompletableFuture<Void> closing = consumer.close(new long[0]);
        engine.holdAnswers = false;

        engine.link(1).fail();
        eventually("restored", WAIT, () -> events.restored.size() == 1);

        await(unsubscribe);
        await(closing);
        EngineSession opened = await(opening);
        assertThat(engine.log).contains("link 2: unsubscribe sub");
        assertThat(engine.link(2).sessions).hasSize(2);
        assertThat(engine.link(2).sessions.get(0).consumers).as("the closed consumer is not opened again").isEmpty();
        await(opened.commit());
    }
}
