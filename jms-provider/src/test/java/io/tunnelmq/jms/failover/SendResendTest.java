package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.jms.engine.SendListener;
import io.tunnelmq.jms.engine.SendTicket;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.message.ProducerStamp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tunnelmq.jms.Eventually.eventually;
import static io.tunnelmq.jms.failover.FailoverFixture.WAIT;
import static io.tunnelmq.jms.failover.FailoverFixture.await;
import static io.tunnelmq.jms.failover.FailoverFixture.connect;
import static io.tunnelmq.jms.failover.FailoverFixture.failover;
import static io.tunnelmq.jms.failover.FailoverFixture.failure;
import static io.tunnelmq.jms.failover.FakeEngine.message;
import static org.assertj.core.api.Assertions.assertThat;

/** What becomes of sends the broker had not confirmed when the link was lost. */
@Timeout(20)
class SendResendTest {
    private static final UUID PRODUCER = UUID.randomUUID();

    private final FakeEngine engine = new FakeEngine();
    private final FailoverFixture.Events events = new FailoverFixture.Events();
    private EngineSession session;

    private EngineConnection connection;

    @BeforeEach
    void open() {
        connection = connect(engine, events, failover(0, "h:1"));
        session = await(connection.openSession(false, 1));
    }

    private FakeEngine.FakeSession inner(int link) {
        return engine.link(link).sessions.get(0);
    }

    private void reconnect() throws InterruptedException {
        engine.link(1).fail();
        eventually("restored", WAIT, () -> events.restored.size() == 1);
    }

    @Test
    void aStampedSendIsResentWithTheSameStampAndConfirmedOnce() throws Exception {
        ProducerStamp stamp = new ProducerStamp(PRODUCER, 5);
        SendTicket ticket = session.send(message("m1", true), stamp);
        AtomicInteger completions = new AtomicInteger();
        ticket.confirmed().whenComplete((v, e) -> completions.incrementAndGet());
        inner(1).sent.get(0).written();
        assertThat(ticket.written()).isCompleted();

        reconnect();

        assertThat(inner(2).sent).hasSize(1);
        assertThat(inner(2).sent.get(0).stamp()).isSameAs(stamp);
        assertThat(inner(2).sent.get(0).message().messageId()).isEqualTo("m1");
        assertThat(ticket.confirmed()).isNotDone();
        inner(2).sent.get(0).confirmed();
        await(ticket.confirmed());
        inner(1).sent.get(0).ticket().confirmed().complete(null); // a late answer of the lost link changes nothing
        assertThat(completions.get()).isEqualTo(1);
    }

    @Test
    void anUnstampedSendThatWasWrittenIsGivenUpNotResent() throws Exception {
        SendTicket ticket = session.send(message("n1", false), null);
        inner(1).sent.get(0).written();

        reconnect();

        await(ticket.confirmed());
        assertThat(inner(2).sent).isEmpty();
    }

    @Test
    void anUnstampedSendNeverWrittenIsSentAgain() throws Exception {
        SendTicket ticket = session.send(message("n1", false), null);

        reconnect();

        assertThat(ticket.written()).isNotDone();
        assertThat(inner(2).sent).extracting(s -> s.message().messageId()).containsExactly("n1");
        inner(2).sent.get(0).confirmed();
        await(ticket.written());
        await(ticket.confirmed());
    }

    @Test
    void sendsWhileDownWaitBehindTheResendsInOrder() throws Exception {
        engine.down.add("h:1");
        SendTicket first = session.send(message("m1", true), new ProducerStamp(PRODUCER, 1));
        engine.link(1).fail();
        SendTicket second = session.send(message("m2", true), new ProducerStamp(PRODUCER, 2));
        SendTicket third = session.send(message("n3", false), null);
        assertThat(second.written()).isNotDone();

        engine.down.clear();
        eventually("restored", WAIT, () -> events.restored.size() == 1);

        assertThat(inner(2).sent).extracting(s -> s.message().messageId()).containsExactly("m1", "m2", "n3");
        inner(2).sent.forEach(FakeEngine.Sent::confirmed);
        await(first.confirmed());
        await(second.confirmed());
        await(third.confirmed());
    }

    @Test
    void anUnansweredSendConfirmedOnItsLinkIsNeitherResentNorFailedLater() throws Exception {
        Told told = new Told();
        session.sendUnanswered(message("n1", false), told);
        session.sendUnanswered(message("n2", false), new Told());
        inner(1).sent.get(0).confirmed();
        assertThat(told.calls).containsExactly("written", "confirmed");

        reconnect(); // its confirmation only marked it: the list still holds it when the unwritten one goes again
        assertThat(inner(2).sent).as("only the unwritten one again").extracting(s -> s.message().messageId())
                .containsExactly("n2");
        await(connection.close());

        assertThat(told.calls).as("told once, and never failed").containsExactly("written", "confirmed");
    }

    @Test
    void anUnansweredSendNeverWrittenIsSentAgainAndItsListenerHearsOnce() throws Exception {
        Told told = new Told();
        session.sendUnanswered(message("n1", false), told);

        reconnect();

        assertThat(told.calls).isEmpty();
        assertThat(inner(2).sent).extracting(s -> s.message().messageId()).containsExactly("n1");
        inner(2).sent.get(0).confirmed();
        assertThat(told.calls).containsExactly("written", "confirmed");
    }

    @Test
    void unansweredSendsStillOutstandingFailOnCloseAndConfirmedOnesDoNot() throws Exception {
        Told confirmed = new Told();
        Told open = new Told();
        session.sendUnanswered(message("n1", false), confirmed);
        session.sendUnanswered(message("n2", false), open);
        inner(1).sent.get(0).confirmed();

        await(connection.close());

        assertThat(confirmed.calls).containsExactly("written", "confirmed");
        assertThat(open.calls).containsExactly("failed ILLEGAL_STATE");
    }

    /** What a send's listener was told, in order. */
    private static final class Told implements SendListener {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void onWritten() {
            calls.add("written");
        }

        @Override
        public void onConfirmed() {
            calls.add("confirmed");
        }

        @Override
        public void onFailed(EngineException cause) {
            calls.add("failed " + cause.code());
        }
    }

    @Test
    void aBrokerErrorPassesThrough() {
        SendTicket ticket = session.send(message("m1", true), new ProducerStamp(PRODUCER, 1));
        inner(1).sent.get(0).ticket().confirmed().completeExceptionally(
                new EngineException(ErrorCode.RESOURCE_EXHAUSTED, "disk full"));

        assertThat(failure(ticket.confirmed()).code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(failure(ticket.written()).getMessage()).isEqualTo("disk full");
    }
}
