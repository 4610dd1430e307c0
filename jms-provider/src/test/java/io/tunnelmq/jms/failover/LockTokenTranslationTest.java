package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.ConsumerSpec;
import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineConsumer;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.jms.engine.LockOutcome;
import io.tunnelmq.jms.engine.Released;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.tunnelmq.jms.Eventually.eventually;
import static io.tunnelmq.jms.failover.FailoverFixture.WAIT;
import static io.tunnelmq.jms.failover.FailoverFixture.await;
import static io.tunnelmq.jms.failover.FailoverFixture.connect;
import static io.tunnelmq.jms.failover.FailoverFixture.failover;
import static io.tunnelmq.jms.failover.FailoverFixture.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The facade never sees a broker token twice for different locks, and the locks of a lost link are reported lost. */
@Timeout(20)
class LockTokenTranslationTest {
    private static final long LINK_2 = 1L << 40; // link 1 keeps the broker's tokens

    private final FakeEngine engine = new FakeEngine();
    private final FailoverFixture.Events events = new FailoverFixture.Events();
    private final FailoverFixture.Listener listener = new FailoverFixture.Listener();
    private EngineSession session;
    private EngineConsumer consumer;

    @BeforeEach
    void openAConsumer() {
        EngineConnection c = connect(engine, events, failover(0, "h:1"));
        session = await(c.openSession(false, 2));
        consumer = await(session.createConsumer(ConsumerSpec.of(WireDestination.queue("q"), null, 10), listener));
    }

    private FakeEngine.FakeConsumer inner(int link) {
        return engine.link(link).sessions.get(0).consumers.get(0);
    }

    private void reconnect() throws InterruptedException {
        engine.link(1).fail();
        eventually("restored", WAIT, () -> events.restored.size() == 1);
    }

    @Test
    void tokensCarryTheLinkNumberAndTranslateBackWhenSettled() throws Exception {
        inner(1).deliver(7, "ID:a");
        long first = listener.lastToken();
        assertThat(first).as("the first link keeps the broker's token").isEqualTo(7);
        assertThat(listener.deliveries.get(0).consumerId()).isEqualTo(consumer.consumerId());

        reconnect();
        inner(2).deliver(7, "ID:b");
        long second = listener.lastToken();
        assertThat(second).as("same broker token, another lock").isEqualTo(LINK_2 | 7).isNotEqualTo(first);
        assertThat(listener.deliveries.get(1).consumerId()).as("the facade's consumer id is stable")
                .isEqualTo(consumer.consumerId());

        await(session.settle(LockOutcome.COMPLETE, new long[]{second}, null, true));
        session.handedOut(second);
        assertThat(session.lockedUntil(second)).isEqualTo(555);
        assertThat(await(session.renewLocks(new long[]{second}))).containsExactly(777);
        assertThat(engine.log).contains("link 2: settle COMPLETE [7]", "link 2: handedOut 7",
                "link 2: renewLocks [7]");
        Released r = inner(2).listener.onRevoke(new long[]{7});
        assertThat(listener.revokeAnswer).containsExactly(second);
        assertThat(r.lockTokens()).containsExactly(7);
    }

    @Test
    void settlingOldTokensSettlesTheCurrentOnesThenFailsNamingTheOldOnes() throws Exception {
        inner(1).deliver(7, "ID:a");
        inner(1).deliver(8, "ID:b");
        long old7 = listener.deliveries.get(0).lockToken();
        long old8 = listener.deliveries.get(1).lockToken();
        reconnect();
        assertThat(listener.interrupted.get()).isEqualTo(1);
        inner(2).deliver(3, "ID:c");
        long current = listener.lastToken();

        EngineException e = failure(session.settle(LockOutcome.COMPLETE, new long[]{old7, current, old8}, null, true));

        assertThat(engine.log).contains("link 2: settle COMPLETE [3]");
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_LOCK_TOKEN);
        assertThat(e.getMessage()).isEqualTo("the connection to the broker was lost: the locks of 2 messages were "
                + "lost; they will be delivered again");
        assertThat(e.lockTokens()).containsExactly(old7, old8);
    }

    @Test
    void noticesAboutOldTokensAreDroppedAndTheirLocksReadAsGone() throws Exception {
        inner(1).deliver(7, "ID:a");
        long old = listener.lastToken();
        reconnect();
        engine.log.clear();

        await(session.settle(LockOutcome.ABANDON, new long[]{old}, null, false));
        session.handedOut(old);
        assertThat(await(session.renewLocks(new long[]{old}))).containsExactly(0);
        assertThat(session.lockedUntil(old)).isZero();
        await(consumer.close(new long[]{old}));

        assertThat(engine.log).containsExactly("link 2: closeConsumer []");
    }

    @Test
    void completionsNotWaitedForThatFailedAreTakenInTheFacadesTokens() throws Exception {
        inner(1).deliver(7, "ID:a");
        long old = listener.lastToken();
        reconnect();
        inner(2).deliver(7, "ID:b");
        long current = listener.lastToken();

        await(session.settle(LockOutcome.COMPLETE, new long[]{old, current}, null, false));
        assertThat(engine.log).contains("link 2: settle COMPLETE [7]");
        engine.link(2).sessions.get(0).failedCompletions = new EngineException(ErrorCode.LOCK_EXPIRED,
                "could not complete 1 of 1 lock token(s)", new long[]{7});

        EngineException taken = session.takeFailedCompletions();
        assertThat(taken.lockTokens()).as("the lost link's token, then the broker's report translated")
                .containsExactly(old, current);
        assertThat(taken.code()).isEqualTo(ErrorCode.UNKNOWN_LOCK_TOKEN);
        assertThat(session.takeFailedCompletions()).as("taken once").isNull();

        await(session.settle(LockOutcome.ABANDON, new long[]{old}, null, false));
        assertThat(session.takeFailedCompletions()).as("only completions are kept").isNull();
    }

    @Test
    void unansweredCompletionsGoToTheirLinkAndThoseALostLinkCouldNotSendAreKept() throws Exception {
        inner(1).deliver(7, "ID:a");
        inner(1).deliver(8, "ID:b");
        long written = listener.deliveries.get(0).lockToken();
        long unsent = listener.deliveries.get(1).lockToken();
        session.completeUnanswered(new long[]{written, unsent});
        assertThat(engine.log).contains("link 1: settle COMPLETE [7, 8]");
        // the first link's session could not write the completion of 8 before the link went
        engine.link(1).sessions.get(0).failedCompletions = new EngineException(ErrorCode.CONNECTION_FAILED,
                "the connection to the broker is lost", new long[]{8});
        inner(1).deliver(9, "ID:c");
        long old = listener.lastToken();
        reconnect();
        inner(2).deliver(7, "ID:d");
        long current = listener.lastToken();

        session.completeUnanswered(new long[]{old, current});

        assertThat(engine.log).contains("link 2: settle COMPLETE [7]");
        EngineException taken = session.takeFailedCompletions();
        assertThat(taken.lockTokens()).as("what the lost link's session kept, then the lost link's lock")
                .containsExactly(unsent, old);
        assertThat(session.takeFailedCompletions()).as("taken once").isNull();
    }

    @Test
    void aBrokerTokenBeyondFortyBitsFailsLoudly() {
        assertThatThrownBy(() -> inner(1).deliver(1L << 40, "ID:x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not fit in 40 bits");
    }

    @Test
    void aDeliveryDroppedForItsLostLockIsNoLongerHeld() {
        inner(1).deliver(1, "ID:dropped");
        inner(1).deliver(2, "ID:kept");
        SessionLocks locks = ((FailoverSession) session).locks();
        assertThat(locks.heldCount()).isEqualTo(2);

        session.dropped(listener.deliveries.get(0).lockToken());
        assertThat(locks.heldCount()).as("kept for the life of the link before").isEqualTo(1);
    }
}
