package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.protocol.ErrorCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;

import static io.tunnelmq.jms.Eventually.eventually;
import static io.tunnelmq.jms.failover.FailoverFixture.WAIT;
import static io.tunnelmq.jms.failover.FailoverFixture.await;
import static io.tunnelmq.jms.failover.FailoverFixture.connect;
import static io.tunnelmq.jms.failover.FailoverFixture.failover;
import static io.tunnelmq.jms.failover.FailoverFixture.failure;
import static io.tunnelmq.jms.failover.FakeEngine.message;
import static org.assertj.core.api.Assertions.assertThat;

/** A transaction that did work on a lost link never half-commits: its commit rolls back and says so, once. */
@Timeout(20)
class TransactionLostTest {
    private final FakeEngine engine = new FakeEngine();
    private final FailoverFixture.Events events = new FailoverFixture.Events();
    private EngineSession session;

    @BeforeEach
    void open() {
        EngineConnection c = connect(engine, events, failover(0, "h:1"));
        session = await(c.openSession(true, 0));
    }

    private void reconnect() throws InterruptedException {
        engine.link(1).fail();
        eventually("restored", WAIT, () -> events.restored.size() == 1);
    }

    @Test
    void commitAfterALossDuringTheTransactionRollsBackOnce() throws Exception {
        session.send(message("t1", true), null);
        reconnect();
        engine.log.clear();

        EngineException e = failure(session.commit());

        assertThat(e.code()).isEqualTo(ErrorCode.TRANSACTION_ROLLED_BACK);
        assertThat(e.getMessage()).isEqualTo("the connection to the broker was lost during the transaction: its "
                + "sends were discarded and its received messages will be delivered again");
        assertThat(engine.log).containsExactly("link 2: rollback");

        await(session.commit());
        assertThat(engine.log).containsExactly("link 2: rollback", "link 2: commit");
    }

    @Test
    void aHandOutCountsAsWorkAndRollbackClearsTheMark() throws Exception {
        session.handedOut(3); // link 1: the broker's token
        reconnect();

        await(session.rollback());
        await(session.commit());
        assertThat(engine.log).endsWith("link 2: rollback", "link 2: commit");
    }

    @Test
    void aTransactionWithoutWorkCommitsNormallyAfterALoss() throws Exception {
        reconnect();
        await(session.commit());
    }

    @Test
    void aCommitInFlightWhenTheLinkIsLostFailsWithTheLossAndClearsTheMark() throws Exception {
        session.send(message("t1", true), null);
        engine.holdAnswers = true;
        CompletableFuture<Void> commit = session.commit();
        engine.holdAnswers = false;

        reconnect();

        assertThat(failure(commit).code()).as("outcome unknown: the facade says so").isEqualTo(ErrorCode.CONNECTION_FAILED);
        engine.log.clear();
        await(session.commit());
        assertThat(engine.log).containsExactly("link 2: commit");
    }
}
