package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.CloseConsumer;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.frame.Unsubscribe;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.destination.Subscriptions;
import io.tunnelmq.server.store.postgres.PostgresFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

import static io.tunnelmq.server.Messages.id;
import static io.tunnelmq.server.PersistenceTest.persistent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A durable subscription's consumers may be on any broker over the shared database, and JMS refuses to unsubscribe or
 * change a durable subscription while it has active consumers: so a broker refuses both while another broker has
 * consumers of it, and allows them once those consumers closed or their broker was taken for dead.
 */
@Timeout(60)
class ClusterDurableSubscriptionsTest extends BrokerPairBase {
    private static final WireDestination NEWS = WireDestination.topic("news");
    private static final String HELD = "SELECT count(*) FROM tmq_subscriptions WHERE cardinality(holders) > 0";
    private static final String SUBSCRIPTIONS = "SELECT count(*) FROM tmq_subscriptions";

    @Test
    void aSubscriptionWithAConsumerThroughOneBrokerIsNeitherChangedNorUnsubscribedThroughTheOther() throws Exception {
        try (TestClient onA = TestClient.open(a); TestClient onB = TestClient.open(b)) {
            int sa = onA.openSession(false);
            int sb = onB.openSession(false);
            long id = onA.nextRequestId();
            onA.request(audit(sa, id, 1, null), id);
            BrokerFixture.eventually("B learned of the subscription", () -> b.destinations().subscriptions().size() == 1);

            id = onB.nextRequestId();
            ErrorFrame changed = onB.refused(audit(sb, id, 1, "JMSPriority > 4"), id);
            assertThat(changed.code()).isEqualTo(ErrorCode.INVALID_SUBSCRIPTION);
            assertThat(changed.message()).contains("in use through another broker", "cannot be changed");
            id = onB.nextRequestId();
            ErrorFrame unsubscribed = onB.refused(new Unsubscribe(sb, id, "audit"), id);
            assertThat(unsubscribed.code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
            assertThat(unsubscribed.message()).contains("active consumers through another broker");

            // B still knows it as it was, and A's consumer still gets what is published, through either broker
            assertThat(terms(b)).map(Subscriptions.Terms::selector).isEmpty();
            onB.sendMessage(sb, persistent(NEWS, "n1"));
            Deliver d = onA.awaitDelivery(sa, 1);
            assertThat(id(d)).isEqualTo("n1");
            onA.settle(sa, SettleOutcome.COMPLETE, d.lockToken());

            onA.closeConsumer(sa, 1);
            BrokerFixture.eventually("A gave its hold back", () -> PostgresFixture.count(db, HELD) == 0);
            id = onB.nextRequestId();
            onB.request(new Unsubscribe(sb, id, "audit"), id);
        }
        assertThat(PostgresFixture.count(db, SUBSCRIPTIONS)).isZero();
        BrokerFixture.eventually("A forgot it", () -> a.destinations().subscriptions().size() == 0);
    }

    @Test
    void aSubscriptionIsChangedThroughOneBrokerOnceItsConsumersOnTheOtherClosed() throws Exception {
        try (TestClient onA = TestClient.open(a); TestClient onB = TestClient.open(b)) {
            int sa = onA.openSession(false);
            int sb = onB.openSession(false);
            long id = onA.nextRequestId();
            onA.request(audit(sa, id, 1, null), id);
            onA.sendMessage(sa, persistent(NEWS, "old"));
            assertThat(id(onA.awaitDelivery(sa, 1))).isEqualTo("old"); // left unacknowledged: abandoned at close
            onA.closeConsumer(sa, 1);
            BrokerFixture.eventually("A gave its hold back", () -> PostgresFixture.count(db, HELD) == 0);

            id = onB.nextRequestId();
            onB.request(audit(sb, id, 1, "JMSPriority < 5"), id);
            assertThat(PostgresFixture.count(db, SUBSCRIPTIONS)).isEqualTo(1);
            assertThat(PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages")).as("its messages went with it")
                    .isZero();
            BrokerFixture.eventually("A learned the new selector",
                    () -> terms(a).map(Subscriptions.Terms::selector).equals(Optional.of("JMSPriority < 5")));
            onA.sendMessage(sa, persistent(NEWS, "new"));
            assertThat(id(onB.awaitDelivery(sb, 1))).isEqualTo("new");

            // and now it is A that cannot change it back
            id = onA.nextRequestId();
            assertThat(onA.refused(audit(sa, id, 2, null), id).code()).isEqualTo(ErrorCode.INVALID_SUBSCRIPTION);
            assertThat(terms(b).map(Subscriptions.Terms::selector)).contains("JMSPriority < 5");
        }
    }

    @Test
    void aBrokerTakenForDeadNoLongerHoldsTheSubscriptionsItsConsumersHeld() throws Exception {
        try (TestClient onA = TestClient.open(a); TestClient onB = TestClient.open(b)) {
            int sa = onA.openSession(false);
            long id = onA.nextRequestId();
            onA.request(audit(sa, id, 1, null), id);
            BrokerFixture.eventually("A holds it", () -> PostgresFixture.count(db, HELD) == 1);
            // A hangs and is taken for dead before its hold is reaped: its clients fail over, its consumers are gone
            PostgresFixture.takeForDead(db, a.destinations().storage().shared().brokerId());
            int sb = onB.openSession(false);
            id = onB.nextRequestId();
            onB.request(new Unsubscribe(sb, id, "audit"), id);
        }
        assertThat(PostgresFixture.count(db, SUBSCRIPTIONS)).isZero();
    }

    @Test
    void aSubscriptionMadeAtTheSameMomentThroughTheOtherBrokerIsJoined() throws Exception {
        try (TestClient onA = TestClient.open(a); TestClient onB = TestClient.open(b)) {
            int sa = onA.openSession(false);
            madeUnheard(onA, sa, "NULL", "NULL");
            int sb = onB.openSession(false);
            long id = onB.nextRequestId();
            onB.request(audit(sb, id, 1, null), id);
            assertThat(PostgresFixture.count(db, SUBSCRIPTIONS + " WHERE name = 'audit'")).isEqualTo(1);
            assertThat(PostgresFixture.text(db, "SELECT id || ' ' || cardinality(holders) FROM tmq_subscriptions"
                    + " WHERE name = 'audit'")).as("joined and held by B").isEqualTo(UNHEARD + " 1");
            onA.sendMessage(sa, persistent(NEWS, "joined"));
            assertThat(id(onB.awaitDelivery(sb, 1))).isEqualTo("joined");
            assertThat(b.destinations().subscriptions().named()).filteredOn(s -> s.name().equals("audit"))
                    .singleElement().extracting(s -> s.storeId()).isEqualTo(UNHEARD);
        }
    }

    @Test
    void aSubscriptionMadeAtTheSameMomentThroughTheOtherBrokerWithOtherTermsRefusesTheConsumerAndIsLearned()
            throws Exception {
        try (TestClient onA = TestClient.open(a); TestClient onB = TestClient.open(b)) {
            int sa = onA.openSession(false);
            String heldByA = "ARRAY['" + a.destinations().storage().shared().brokerId() + "'::uuid]";
            madeUnheard(onA, sa, "'JMSPriority > 4'", heldByA);
            int sb = onB.openSession(false);
            long id = onB.nextRequestId();
            ErrorFrame refused = onB.refused(audit(sb, id, 1, null), id);
            assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_SUBSCRIPTION);
            assertThat(refused.message()).contains("in use through another broker", "'JMSPriority > 4'");
            assertThat(terms(b).map(Subscriptions.Terms::selector)).as("B learned it from the answer")
                    .contains("JMSPriority > 4");
            assertThat(PostgresFixture.text(db, "SELECT id || ' ' || selector FROM tmq_subscriptions"
                    + " WHERE name = 'audit'")).isEqualTo(UNHEARD + " JMSPriority > 4");
        }
    }

    @Test
    void aSubscriptionMadeAMomentAgoThroughTheOtherBrokerIsUnsubscribedThroughThisOne() throws Exception {
        try (TestClient onA = TestClient.open(a); TestClient onB = TestClient.open(b)) {
            madeUnheard(onA, onA.openSession(false), "NULL", "NULL");
            int sb = onB.openSession(false);
            long id = onB.nextRequestId();
            onB.request(new Unsubscribe(sb, id, "audit"), id);
            assertThat(PostgresFixture.count(db, SUBSCRIPTIONS + " WHERE name = 'audit'")).isZero();
            assertThat(terms(b)).isEmpty();
            id = onB.nextRequestId();
            assertThat(onB.refused(new Unsubscribe(sb, id, "audit"), id).code()).as("gone now")
                    .isEqualTo(ErrorCode.INVALID_DESTINATION);
        }
    }

    @Test
    void aConsumerClosingAndAnotherOpeningWhileTheStoreMakesTheSubscriptionLeaveItHeldAndFed() throws Exception {
        try (TestClient onA = TestClient.open(a); TestClient onB = TestClient.open(b);
             Connection lock = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            int sa = onA.openSession(false);
            int sb = onB.openSession(false);
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) { // B's making of the subscription waits for this lock
                s.execute("LOCK TABLE tmq_subscriptions IN SHARE ROW EXCLUSIVE MODE");
            }
            long first = onB.nextRequestId();
            onB.send(audit(sb, first, 1, null));
            BrokerFixture.eventually("B's make waits for the lock", () -> PostgresFixture.count(db, "SELECT count(*)"
                    + " FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    + " AND query LIKE 'INSERT INTO tmq_subscriptions%'") == 1);
            long closed = onB.nextRequestId();
            onB.send(new CloseConsumer(sb, closed, 1)); // gives the hold back once made
            long second = onB.nextRequestId();
            onB.send(audit(sb, second, 2, null)); // waits for the making, then holds it again
            onB.openSession(false); // answered once B took the three frames before it
            lock.rollback();
            // the first consumer, closed before it was answered, is not answered (its client gave up on it)
            assertThat(onB.answer(closed)).isInstanceOf(Ok.class);
            assertThat(onB.answer(second)).isInstanceOf(Ok.class);
            assertThat(PostgresFixture.count(db, HELD)).as("held again for the second consumer").isEqualTo(1);
            onA.sendMessage(sa, persistent(NEWS, "fed"));
            assertThat(id(onB.awaitDelivery(sb, 2))).isEqualTo("fed");
        }
    }

    @Test
    void aSubscriptionUnsubscribedAMomentAgoThroughTheOtherBrokerIsMadeAnewForConsumersOpeningAtOnce()
            throws Exception {
        try (TestClient onA = TestClient.open(a); TestClient onB = TestClient.open(b)) {
            int sa = onA.openSession(false);
            long id = onA.nextRequestId();
            onA.request(audit(sa, id, 1, null), id);
            onA.closeConsumer(sa, 1);
            BrokerFixture.eventually("B learned it, and A gave its hold back", () -> terms(b).isPresent()
                    && PostgresFixture.count(db, HELD) == 0);
            long removed = storeId(b);
            // as if unsubscribed through A a moment ago, before B heard of it: its row goes without a notice
            PostgresFixture.text(db, "DELETE FROM tmq_subscriptions WHERE name = 'audit' RETURNING name");

            int sb = onB.openSession(false);
            long first = onB.nextRequestId();
            onB.send(audit(sb, first, 1, null));
            long second = onB.nextRequestId();
            onB.send(audit(sb, second, 2, null));
            assertThat(onB.answer(first)).isInstanceOf(Ok.class);
            assertThat(onB.answer(second)).isInstanceOf(Ok.class);
            long made = storeId(b);
            assertThat(made).as("made anew").isNotEqualTo(removed);
            assertThat(PostgresFixture.text(db, "SELECT id || ' ' || cardinality(holders) FROM tmq_subscriptions"
                    + " WHERE name = 'audit'")).as("one row, held by B").isEqualTo(made + " 1");
            BrokerFixture.eventually("A follows the row", () -> a.destinations().subscriptions().named().stream()
                    .anyMatch(s -> s.name().equals("audit") && s.storeId() == made));

            onA.sendMessage(sa, persistent(NEWS, "m1"));
            onA.sendMessage(sa, persistent(NEWS, "m2"));
            assertThat(List.of(id(onB.awaitDelivery(sb, 1)), id(onB.awaitDelivery(sb, 2))))
                    .as("each consumer, one message of credit each").containsExactlyInAnyOrder("m1", "m2");
            assertThat(b.destinations().topic("news").subscriptionCount()).as("the removed one went").isEqualTo(1);
        }
    }

    private static long storeId(EmbeddedBroker broker) {
        return broker.destinations().subscriptions().named().stream().filter(s -> s.name().equals("audit"))
                .findFirst().orElseThrow().storeId();
    }

    /** The store id of the subscription {@link #madeUnheard} inserts: one no broker issues. */
    private static final long UNHEARD = 1L << 50;

    /**
     * As if A made "audit" a moment ago and B has not heard of it yet: the row is in the database, its notice is not
     * on its way (it is inserted without one), once B's reading of the subscriptions at its start is done.
     */
    private void madeUnheard(TestClient onA, int sa, String selector, String holders) throws Exception {
        long id = onA.nextRequestId();
        onA.request(new CreateConsumer(sa, id, 99, NEWS, null, false, "probe", true, true, 1), id);
        // B heard of it: its start's reading of the subscriptions, queued before on the same thread, is done too
        BrokerFixture.eventually("B learned the probe", () -> b.destinations().subscriptions()
                .terms(null, "probe", true).isPresent());
        PostgresFixture.text(db, "INSERT INTO tmq_subscriptions (id, client_id, name, topic, selector, no_local,"
                + " shared, holders) VALUES (" + UNHEARD + ", NULL, 'audit', 'news', " + selector + ", false, true, "
                + holders + ") RETURNING id");
    }

    /** Consumer {@code consumerId} of the shared durable subscription "audit" to {@link #NEWS}, credit 1. */
    private static CreateConsumer audit(int session, long requestId, int consumerId, String selector) {
        return new CreateConsumer(session, requestId, consumerId, NEWS, selector, false, "audit", true, true, 1);
    }

    private static Optional<Subscriptions.Terms> terms(EmbeddedBroker broker) {
        return broker.destinations().subscriptions().terms(null, "audit", true);
    }
}
