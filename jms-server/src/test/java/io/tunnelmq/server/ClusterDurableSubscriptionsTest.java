package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.frame.Unsubscribe;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.destination.Subscriptions;
import io.tunnelmq.server.store.postgres.PostgresFixture;
import io.tunnelmq.server.store.postgres.PostgresSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

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
class ClusterDurableSubscriptionsTest {
    private static final WireDestination NEWS = WireDestination.topic("news");
    private static final String HELD = "SELECT count(*) FROM tmq_subscriptions WHERE cardinality(holders) > 0";
    private static final String SUBSCRIPTIONS = "SELECT count(*) FROM tmq_subscriptions";

    @RegisterExtension
    final BrokerPair brokers = new BrokerPair();
    private final PostgresSettings db = brokers.db();
    private EmbeddedBroker a;
    private EmbeddedBroker b;

    @BeforeEach
    void start() {
        a = brokers.a();
        b = brokers.b();
    }

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
            assertThat(changed.message()).contains("active consumers through another broker", "cannot be changed");
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
    void aSubscriptionMadeAtTheSameMomentThroughTheOtherBrokerIsJoinedWhenTheRefusedConsumerOpensAgain()
            throws Exception {
        try (TestClient onA = TestClient.open(a); TestClient onB = TestClient.open(b)) {
            int sa = onA.openSession(false);
            long id = onA.nextRequestId();
            onA.request(new CreateConsumer(sa, id, 1, NEWS, null, false, "probe", true, true, 1), id);
            // B heard of it: its start's reading of the subscriptions, queued before on the same thread, is done too
            BrokerFixture.eventually("B learned the probe", () -> b.destinations().subscriptions()
                    .terms(null, "probe", true).isPresent());
            // A made "audit" a moment ago and B has not heard of it yet: the row is there, its notice is not
            PostgresFixture.text(db, "INSERT INTO tmq_subscriptions (id, client_id, name, topic, selector, no_local,"
                    + " shared) VALUES (" + (1L << 50) + ", NULL, 'audit', 'news', NULL, false, true) RETURNING id");
            int sb = onB.openSession(false);
            id = onB.nextRequestId();
            ErrorFrame refused = onB.refused(audit(sb, id, 1, null), id);
            assertThat(refused.code()).isEqualTo(ErrorCode.STORE_FAILURE);
            assertThat(refused.message()).contains("another broker made it at the same moment",
                    "open the consumer again to join it");
            BrokerFixture.eventually("B learned the other's row", () -> terms(b).isPresent());
            id = onB.nextRequestId();
            onB.request(audit(sb, id, 2, null), id);
            onA.sendMessage(sa, persistent(NEWS, "joined"));
            assertThat(id(onB.awaitDelivery(sb, 2))).isEqualTo("joined");
            assertThat(PostgresFixture.count(db, SUBSCRIPTIONS + " WHERE name = 'audit'")).isEqualTo(1);
        }
    }

    /** Consumer {@code consumerId} of the shared durable subscription "audit" to {@link #NEWS}, credit 1. */
    private static CreateConsumer audit(int session, long requestId, int consumerId, String selector) {
        return new CreateConsumer(session, requestId, consumerId, NEWS, selector, false, "audit", true, true, 1);
    }

    private static Optional<Subscriptions.Terms> terms(EmbeddedBroker broker) {
        return broker.destinations().subscriptions().terms(null, "audit", true);
    }
}
