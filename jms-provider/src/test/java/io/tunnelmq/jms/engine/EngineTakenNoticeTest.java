package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;

import static io.tunnelmq.jms.engine.EngineTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

/** TAKEN notices against a scripted broker: one Settle per event-loop turn, in order, elided when settled anyway. */
@Timeout(30)
class EngineTakenNoticeTest {
    private FakeBroker broker;
    private EngineConnection connection;
    private ClientSession session;
    private EngineSession other;

    @BeforeEach
    void start() throws Exception {
        broker = new FakeBroker();
        connection = EngineTestSupport.connect(broker.options(""), new EngineTestSupport.RecordingEvents());
        session = (ClientSession) await(connection.openSession(false, 2));
        other = await(connection.openSession(false, 2));
        broker.next(Hello.class);
        broker.next(OpenSession.class);
        broker.next(OpenSession.class);
    }

    @AfterEach
    void stop() throws Exception {
        await(connection.close());
        broker.close();
    }

    /** Runs the calls in one event-loop turn, as an application thread may get them in before the flush. */
    private void inOneTurn(Runnable calls) throws Exception {
        CompletableFuture<Void> ran = new CompletableFuture<>();
        session.connection().execute(() -> {
            calls.run();
            ran.complete(null);
        });
        await(ran);
    }

    /** A fire-and-forget settle on the other session, to show what was (not) written before it. */
    private void marker(long token) throws Exception {
        await(other.settle(LockOutcome.COMPLETE, new long[] {token}, null, false));
    }

    private Settle nextOnSession() throws Exception {
        Settle s = broker.next(Settle.class);
        assertThat(s.channel()).isEqualTo(session.channel());
        return s;
    }

    private void expectMarker(long token) throws Exception {
        Settle s = broker.next(Settle.class);
        assertThat(s.channel()).isEqualTo(other.channel());
        assertThat(s.lockTokens()).containsExactly(token);
    }

    @Test
    void noticesOfOneTurnGoOutAsOneSettleInOrder() throws Exception {
        inOneTurn(() -> {
            session.handedOut(3);
            session.handedOut(1);
            session.handedOut(2);
        });

        Settle taken = nextOnSession();
        assertThat(taken.outcome()).isEqualTo(SettleOutcome.TAKEN);
        assertThat(taken.requestId()).as("fire-and-forget").isZero();
        assertThat(taken.lockTokens()).containsExactly(3, 1, 2);
        marker(9);
        expectMarker(9);
    }

    @Test
    void aNoticeIsElidedWhenItsCompletionGoesOutInTheSameFlush() throws Exception {
        inOneTurn(() -> {
            session.handedOut(1);
            session.handedOut(2);
            session.completeUnanswered(new long[] {1});
        });

        Settle taken = nextOnSession();
        assertThat(taken.outcome()).isEqualTo(SettleOutcome.TAKEN);
        assertThat(taken.lockTokens()).as("1 is completed in the same flush").containsExactly(2);
        Settle complete = nextOnSession();
        assertThat(complete.outcome()).isEqualTo(SettleOutcome.COMPLETE);
        assertThat(complete.lockTokens()).containsExactly(1);
    }

    @Test
    void aNoticeIsElidedWhenItsAbandonOrDeadLetterIsTheNextOperation() throws Exception {
        CompletableFuture<Void> abandoned = new CompletableFuture<>();
        inOneTurn(() -> {
            session.handedOut(1);
            session.handedOut(2);
            session.settle(LockOutcome.ABANDON, new long[] {1}, null, true)
                    .whenComplete((v, e) -> abandoned.complete(null));
        });
        Settle taken = nextOnSession();
        assertThat(taken.outcome()).isEqualTo(SettleOutcome.TAKEN);
        assertThat(taken.lockTokens()).containsExactly(2);
        Settle abandon = nextOnSession();
        assertThat(abandon.outcome()).isEqualTo(SettleOutcome.ABANDON);
        assertThat(abandon.lockTokens()).containsExactly(1);
        broker.send(broker.ok(abandon, abandon.requestId()));
        await(abandoned);

        inOneTurn(() -> {
            session.handedOut(3);
            session.settle(LockOutcome.DEAD_LETTER, new long[] {3}, "cannot parse", false);
        });
        Settle deadLetter = nextOnSession();
        assertThat(deadLetter.outcome()).as("no TAKEN before it").isEqualTo(SettleOutcome.DEAD_LETTER);
        assertThat(deadLetter.lockTokens()).containsExactly(3);
    }

    @Test
    void noticesAreWrittenBeforeTheSessionsNextOperation() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        inOneTurn(() -> {
            session.handedOut(7);
            session.settle(LockOutcome.RELEASE, new long[] {8}, null, false).whenComplete((v, e) -> release.complete(null));
        });
        await(release);

        Settle taken = nextOnSession();
        assertThat(taken.outcome()).isEqualTo(SettleOutcome.TAKEN);
        assertThat(taken.lockTokens()).containsExactly(7);
        assertThat(nextOnSession().outcome()).isEqualTo(SettleOutcome.RELEASE);
    }

    @Test
    void aTransactedCompletionDoesNotReplaceTheNotice() throws Exception {
        ClientSession tx = (ClientSession) await(connection.openSession(true, 0));
        broker.next(OpenSession.class);
        CompletableFuture<Void> ran = new CompletableFuture<>();
        tx.connection().execute(() -> {
            tx.handedOut(5);
            tx.settle(LockOutcome.COMPLETE, new long[] {5}, null, false);
            ran.complete(null);
        });
        await(ran);

        Settle taken = broker.next(Settle.class);
        assertThat(taken.outcome()).as("the commit may still roll it back").isEqualTo(SettleOutcome.TAKEN);
        assertThat(taken.lockTokens()).containsExactly(5);
        assertThat(broker.next(Settle.class).outcome()).isEqualTo(SettleOutcome.COMPLETE);
    }
}
