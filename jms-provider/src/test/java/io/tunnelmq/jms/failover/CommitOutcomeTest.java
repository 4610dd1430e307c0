package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineSession;
import io.tunnelmq.protocol.ErrorCode;
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

/**
 * A commit whose answer is lost with the link: after restore the failover session asks the broker of the same store
 * whether it was applied, and says what it learnt — success, rolled back, or (another store, no answer) unknown.
 */
@Timeout(20)
class CommitOutcomeTest {
    private final FakeEngine engine = new FakeEngine();
    private final FailoverFixture.Events events = new FailoverFixture.Events();

    private EngineSession open(String... addresses) {
        EngineConnection c = connect(engine, events, failover(0, addresses));
        return await(c.openSession(true, 0));
    }

    /** Sends in a transaction and commits; the commit's answer is held, then the link is lost. */
    private CompletableFuture<Void> commitCutByALoss(EngineSession session) throws InterruptedException {
        session.send(message("t1", true), null);
        engine.holdAnswers = true;
        CompletableFuture<Void> commit = session.commit();
        engine.holdAnswers = false;
        engine.link(1).fail();
        eventually("restored", WAIT, () -> events.restored.size() == 1);
        return commit;
    }

    @Test
    void aCommitTheBrokerAppliedSucceedsAndTheNextTransactionStartsClean() throws Exception {
        engine.stores.put("h:1", "store-a");
        EngineSession session = open("h:1");

        await(commitCutByALoss(session));

        assertThat(engine.log).containsSubsequence("link 1: commit tx 1", "link 2: committed? tx 1");
        engine.log.clear();
        await(session.commit());
        assertThat(engine.log).as("no rollback for the lost link's work").containsExactly("link 2: commit tx 2");
    }

    @Test
    void aCommitTheBrokerNeverAppliedFailsAsRolledBack() throws Exception {
        engine.stores.put("h:1", "store-a");
        engine.applyCommits = false;
        EngineSession session = open("h:1");

        EngineException e = failure(commitCutByALoss(session));

        assertThat(e.code()).isEqualTo(ErrorCode.TRANSACTION_ROLLED_BACK);
        assertThat(e.getMessage()).isEqualTo("the connection to the broker was lost during the commit, and the broker"
                + " did not apply it: the transaction's sends were discarded and its received messages will be"
                + " delivered again");
        engine.log.clear();
        await(session.commit());
        assertThat(engine.log).containsExactly("link 2: commit tx 2");
    }

    @Test
    void onABrokerWithAnotherStoreTheOutcomeIsUnknownAndNobodyIsAsked() throws Exception {
        engine.stores.put("h:1", "store-a");
        engine.stores.put("h:2", "store-b");
        EngineSession session = open("h:1", "h:2");
        engine.down.add("h:1");

        EngineException e = failure(commitCutByALoss(session));

        assertThat(e.code()).as("outcome unknown: the facade says so").isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(engine.log).noneMatch(call -> call.contains("committed?"));
        engine.log.clear();
        await(session.commit());
        assertThat(engine.log).containsExactly("link 2: commit tx 2");
    }

    @Test
    void aBrokerThatCannotTellLeavesTheOutcomeUnknown() throws Exception {
        engine.stores.put("h:1", "store-a");
        engine.refuseQueries = ErrorCode.ILLEGAL_STATE;
        EngineSession session = open("h:1");

        EngineException e = failure(commitCutByALoss(session));

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(engine.log).contains("link 2: committed? tx 1");
    }

    @Test
    void aBrokerWithoutAStoreIdIsNeverAsked() throws Exception {
        EngineSession session = open("h:1");

        EngineException e = failure(commitCutByALoss(session));

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(engine.log).contains("link 1: commit").noneMatch(call -> call.contains("committed?"));
    }

    @Test
    void aQueryCutByAnotherLossIsAskedAgainOnTheNextLink() throws Exception {
        engine.stores.put("h:1", "store-a");
        engine.holdQueries = true;
        EngineSession session = open("h:1");
        CompletableFuture<Void> commit = commitCutByALoss(session);
        eventually("asked on link 2", WAIT, () -> engine.log.contains("link 2: committed? tx 1"));
        engine.holdQueries = false;

        engine.link(2).fail();

        await(commit);
        assertThat(engine.log).contains("link 3: committed? tx 1");
    }
}
