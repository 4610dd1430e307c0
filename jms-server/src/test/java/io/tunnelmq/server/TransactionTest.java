package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.Commit;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Rollback;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.Messages.id;
import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Transacted sessions: staged sends, held completions, commit and rollback. */
@Timeout(30)
class TransactionTest {
    private static final WireDestination IN = WireDestination.queue("in");
    private static final WireDestination OUT = WireDestination.queue("out");

    private EmbeddedBroker broker;
    private TestClient client;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config());
        client = TestClient.open(broker);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        broker.close();
    }

    private void commit(int channel) throws Exception {
        long id = client.nextRequestId();
        client.request(new Commit(channel, id), id);
    }

    private void rollback(int channel) throws Exception {
        long id = client.nextRequestId();
        client.request(new Rollback(channel, id), id);
    }

    private static ErrorFrame refusedCommit(TestClient c, int channel) throws Exception {
        long id = c.nextRequestId();
        return c.refused(new Commit(channel, id), id);
    }

    /** A client whose locks last 100 ms, its transacted session, and the message "slow" from IN it was delivered. */
    private record HeldBriefly(TestClient client, int tx, Deliver delivery) {
    }

    private HeldBriefly holdBriefly() throws Exception {
        TestClient shortLocks = TestClient.connect(broker);
        try {
            shortLocks.hello(null, 0, Map.of("lockDuration", 100L));
            int plain = shortLocks.openSession(false);
            shortLocks.sendMessage(plain, text(IN, "slow"));
            int tx = shortLocks.openSession(true);
            shortLocks.createConsumer(tx, 1, IN, 1);
            return new HeldBriefly(shortLocks, tx, shortLocks.awaitDelivery(tx, 1));
        } catch (Exception | AssertionError e) {
            shortLocks.close();
            throw e;
        }
    }

    @Test
    void commitPublishesStagedSendsAndAppliesHeldCompletions() throws Exception {
        int plain = client.openSession(false);
        client.sendMessage(plain, text(IN, "request"));
        int tx = client.openSession(true);
        client.createConsumer(tx, 1, IN, 5);
        Deliver request = client.awaitDelivery(tx, 1);

        client.settle(tx, SettleOutcome.COMPLETE, request.lockToken());
        client.sendMessage(tx, text(OUT, "reply"));
        assertThat(broker.queueDepth("out")).as("staged until commit").isZero();
        assertThat(broker.queueStats("in").locked()).as("completion held until commit").isEqualTo(1);

        commit(tx);

        assertThat(broker.queueDepth("out")).isEqualTo(1);
        assertThat(broker.queueDepth("in")).isZero();
        assertThat(broker.memoryUsed()).as("only the reply is held").isPositive();
    }

    @Test
    void aStagedSendCountsTheHeapItTakesNotItsWireSize() throws Exception {
        Map<String, Object> properties = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            properties.put("k" + i, i);
        }
        WireMessage many = text(OUT, "many").withProperties(properties);
        int tx = client.openSession(true);
        client.sendMessage(tx, many);

        assertThat(broker.memoryUsed()).as("a thousand map entries, strings and boxes, not 21 bytes each")
                .isGreaterThan(4L * many.sizeEstimate());
        rollback(tx);
        assertThat(broker.memoryUsed()).isZero();
    }

    @Test
    void rollbackDropsStagedSendsAndRedeliversWithTheCountRaised() throws Exception {
        int plain = client.openSession(false);
        client.sendMessage(plain, text(IN, "request"));
        int tx = client.openSession(true);
        client.createConsumer(tx, 1, IN, 5);
        Deliver request = client.awaitDelivery(tx, 1);
        client.settle(tx, SettleOutcome.COMPLETE, request.lockToken());
        client.sendMessage(tx, text(OUT, "reply"));

        rollback(tx);

        Deliver again = client.awaitDelivery(tx, 1);
        assertThat(id(again)).isEqualTo("request");
        assertThat(again.deliveryCount()).isEqualTo(2);
        assertThat(broker.queueDepth("out")).isZero();
        client.settle(tx, SettleOutcome.COMPLETE, again.lockToken());
        commit(tx);
        eventually("request consumed", () -> broker.queueDepth("in") == 0);
        assertThat(broker.memoryUsed()).isZero();
    }

    @Test
    void otherOutcomesApplyAtOnceInATransaction() throws Exception {
        int plain = client.openSession(false);
        client.sendMessage(plain, text(IN, "m1"));
        int tx = client.openSession(true);
        client.createConsumer(tx, 1, IN, 5);
        Deliver d = client.awaitDelivery(tx, 1);
        client.settle(tx, SettleOutcome.COMPLETE, d.lockToken());

        client.settle(tx, SettleOutcome.RELEASE, d.lockToken());

        Deliver again = client.awaitDelivery(tx, 1);
        assertThat(again.deliveryCount()).as("released, not abandoned").isEqualTo(1);
        rollback(tx);
        assertThat(broker.queueStats("in").locked()).as("the released lock was no longer held by the transaction")
                .isEqualTo(1);
    }

    @Test
    void aCommitWhoseLockExpiredRollsBackEverything() throws Exception {
        HeldBriefly held = holdBriefly();
        try (TestClient shortLocks = held.client()) {
            shortLocks.settle(held.tx(), SettleOutcome.COMPLETE, held.delivery().lockToken());
            shortLocks.sendMessage(held.tx(), text(OUT, "reply"));
            eventually("lock expired", () -> broker.queueStats("in").locked() == 0);

            ErrorFrame failed = refusedCommit(shortLocks, held.tx());

            assertThat(failed.code()).isEqualTo(ErrorCode.TRANSACTION_ROLLED_BACK);
            assertThat(failed.message()).contains("expired").contains("1 sends were discarded");
            assertThat(broker.queueDepth("out")).isZero();
            assertThat(broker.queueDepth("in")).isEqualTo(1);
        }
    }

    @Test
    void commitAndRollbackNeedATransactedSession() throws Exception {
        int plain = client.openSession(false);
        long id = client.nextRequestId();
        ErrorFrame error = client.refused(new Commit(plain, id), id);
        assertThat(error.code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
        assertThat(error.message()).contains("not transacted");
        long id2 = client.nextRequestId();
        assertThat(client.refused(new Rollback(plain, id2), id2).code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
    }

    @Test
    void aTransactedCompletionOfAnUnknownTokenIsRefusedAtOnceAndTheCommitRollsBack() throws Exception {
        int tx = client.openSession(true);
        long id = client.nextRequestId();
        ErrorFrame error = client.refused(new Settle(tx, id, SettleOutcome.COMPLETE, new long[]{77}, null), id);
        assertThat(error.code()).isEqualTo(ErrorCode.UNKNOWN_LOCK_TOKEN);

        ErrorFrame rolledBack = refusedCommit(client, tx);

        assertThat(rolledBack.code()).isEqualTo(ErrorCode.TRANSACTION_ROLLED_BACK);
        assertThat(rolledBack.message()).contains("lock token 77 is no longer held");
        commit(tx); // the next transaction starts clean
    }

    @Test
    void aFireAndForgetCompletionThatCameAfterTheLockExpiredRollsTheCommitBack() throws Exception {
        HeldBriefly held = holdBriefly();
        try (TestClient shortLocks = held.client()) {
            eventually("lock expired", () -> broker.queueStats("in").locked() == 0);
            // what a client does at commit: its consumed messages' completions without waiting, then Commit
            shortLocks.settleAndForget(held.tx(), SettleOutcome.COMPLETE, held.delivery().lockToken());

            ErrorFrame failed = refusedCommit(shortLocks, held.tx());

            assertThat(failed.code()).isEqualTo(ErrorCode.TRANSACTION_ROLLED_BACK);
            assertThat(failed.message()).contains("expired").contains("1 received messages will be redelivered");
            assertThat(broker.queueDepth("in")).as("the message stays for a redelivery").isEqualTo(1);
        }
    }
}
