package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.ConsumerSpec;
import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.jms.engine.SendTicket;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.tunnelmq.jms.Eventually.eventually;
import static io.tunnelmq.jms.failover.FailoverFixture.WAIT;
import static io.tunnelmq.jms.failover.FailoverFixture.await;
import static io.tunnelmq.jms.failover.FailoverFixture.connect;
import static io.tunnelmq.jms.failover.FailoverFixture.failover;
import static io.tunnelmq.jms.failover.FailoverFixture.failure;
import static io.tunnelmq.jms.failover.FakeEngine.message;
import static org.assertj.core.api.Assertions.assertThat;

/** The connection gives up after the reconnect timeout (once), and the application may close it while it waits. */
@Timeout(20)
class GiveUpAndCloseTest {
    private final FakeEngine engine = new FakeEngine();
    private final FailoverFixture.Events events = new FailoverFixture.Events();
    private final FailoverFixture.Listener listener = new FailoverFixture.Listener();

    @Test
    void givesUpOnceAfterTheTimeoutFailingEverythingThatWaited() throws Exception {
        EngineConnection c = connect(engine, events, failover(300, "h:1", "h:2"));
        EngineSession s = await(c.openSession(false, 1));
        await(s.createConsumer(ConsumerSpec.of(WireDestination.queue("q"), null, 10), listener));
        engine.down.addAll(List.of("h:1", "h:2"));

        engine.link(1).fail();
        CompletableFuture<Void> queued = s.unsubscribe("sub");
        SendTicket waiting = s.send(message("m1", true), new ProducerStamp(UUID.randomUUID(), 1));

        eventually("gave up", WAIT, () -> !events.failed.isEmpty());
        EngineException cause = events.failed.get(0);
        assertThat(cause.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(cause.getMessage()).startsWith("gave up reconnecting to [h:1, h:2] after ")
                .contains("connection refused");
        assertThat(failure(queued)).isSameAs(cause);
        assertThat(failure(waiting.confirmed())).isSameAs(cause);
        assertThat(listener.interrupted.get()).isEqualTo(1);
        assertThat(listener.closed).containsExactly(cause);
        assertThat(c.isClosed()).isTrue();

        EngineException later = failure(c.openSession(false, 1));
        assertThat(later.code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
        assertThat(later.getMessage()).startsWith("connection is closed: it failed (gave up reconnecting");
        int attempts = engine.connects.size();
        Thread.sleep(100); // no attempt after giving up: nothing to wait for but time
        assertThat(engine.connects).hasSize(attempts);
        assertThat(events.failed).as("connectionFailed exactly once").hasSize(1);
        assertThat(events.interrupted).hasSize(1);
    }

    @Test
    void closeWhileReconnectingStopsTheAttemptsAndFailsWhatWaited() throws Exception {
        EngineConnection c = connect(engine, events, failover(0, "h:1"));
        EngineSession s = await(c.openSession(false, 1));
        engine.down.add("h:1");
        engine.link(1).fail();
        eventually("reconnecting", WAIT, () -> engine.connects.size() >= 3);
        CompletableFuture<Void> queued = s.unsubscribe("sub");

        await(c.close());

        EngineException e = failure(queued);
        assertThat(e.code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
        assertThat(e.getMessage()).isEqualTo("connection is closed");
        int attempts = engine.connects.size();
        engine.down.clear();
        Thread.sleep(150); // long past the 40 ms back-off: an attempt would have come
        assertThat(engine.connects.size()).isLessThanOrEqualTo(attempts + 1); // at most one already under way
        assertThat(engine.links.stream().filter(l -> !l.closed)).as("nothing left open").isEmpty();
        assertThat(events.failed).isEmpty();
        assertThat(c.isClosed()).isTrue();
    }
}
