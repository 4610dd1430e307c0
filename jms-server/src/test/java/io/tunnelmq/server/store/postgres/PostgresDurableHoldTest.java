package io.tunnelmq.server.store.postgres;

import io.tunnelmq.server.store.DurableSubscription;
import io.tunnelmq.server.store.SharedSubscriptions;
import io.tunnelmq.server.store.SharedSubscriptions.Held;
import io.tunnelmq.server.store.StoreOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.store.postgres.PostgresStores.WAIT;
import static io.tunnelmq.server.store.postgres.PostgresStores.listening;
import static io.tunnelmq.server.store.postgres.PostgresStores.message;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A durable subscription made, joined or replaced in one step across brokers over one PostgreSQL database
 * ({@link SharedSubscriptions#holdDurable(long, DurableSubscription)}): two brokers making it at the same moment share
 * one and both hold it; one with other terms replaces it only while no other live broker holds it.
 */
@Timeout(60)
class PostgresDurableHoldTest {
    @RegisterExtension
    final PostgresStores stores = new PostgresStores();

    private static DurableSubscription audit(String selector, boolean shared) {
        return new DurableSubscription(shared ? null : "app", "audit", "news", selector, false, shared);
    }

    @Test
    void twoBrokersMakingTheSameDurableSubscriptionAtTheSameMomentShareOneAndBothHoldIt() throws Exception {
        PostgresStore a = stores.open(stores.db(), "host-a:5672");
        PostgresStore b = stores.open(stores.db(), "host-b:5672");
        List<CompletableFuture<Held>> fromA = new ArrayList<>();
        List<CompletableFuture<Held>> fromB = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // both reader threads at once: each name's row made by one, joined by the other
            DurableSubscription terms = new DurableSubscription(null, "s" + i, "news", "n > " + i, false, true);
            fromA.add(a.subscriptions().holdDurable(a.ids().next(), terms));
            fromB.add(b.subscriptions().holdDurable(b.ids().next(), terms));
        }
        for (int i = 0; i < 20; i++) {
            Held held = fromA.get(i).get(20, TimeUnit.SECONDS);
            assertThat(fromB.get(i).get(20, TimeUnit.SECONDS)).as("s" + i).isEqualTo(held);
            assertThat(held.terms().selector()).isEqualTo("n > " + i);
        }
        assertThat(stores.rows("SELECT count(*) FROM tmq_subscriptions WHERE durable")).containsExactly("20");
        assertThat(stores.rows("SELECT DISTINCT cardinality(holders) FROM tmq_subscriptions")).containsExactly("2");
    }

    @Test
    void otherTermsReplaceItOnlyWhileNoOtherLiveBrokerHoldsIt() throws Exception {
        PostgresSettings fast = stores.db().withHeartbeatMillis(100).withStaleMillis(600);
        PostgresStore a = stores.open(fast, "host-a:5672");
        PostgresStore b = stores.open(fast, "host-b:5672");
        List<Long> heardByB = new CopyOnWriteArrayList<>();
        b.listenSubscriptions(heardByB::add);
        listening(b);
        long first = a.ids().next();
        assertThat(a.subscriptions().holdDurable(first, audit(null, true)).get(20, TimeUnit.SECONDS))
                .isEqualTo(new Held(first, audit(null, true)));
        eventually("b told of the new subscription", WAIT, () -> heardByB.contains(first));
        assertThat(b.subscriptions().findDurable(null, "audit").get(20, TimeUnit.SECONDS))
                .isEqualTo(new Held(first, audit(null, true)));
        assertThat(b.subscriptions().findDurable("app", "audit").get(20, TimeUnit.SECONDS)).as("another client ID")
                .isNull();
        a.write(List.of(new StoreOp.PublishToSubscriptions("news", message("n1", 4, 0), null)))
                .get(20, TimeUnit.SECONDS);

        // held by a: neither another selector nor an unshared one of the name changes it
        assertThat(b.subscriptions().holdDurable(b.ids().next(), audit("x = 1", true)).get(20, TimeUnit.SECONDS))
                .isEqualTo(new Held(first, audit(null, true)));
        a.subscriptions().giveBack(first).get(20, TimeUnit.SECONDS);
        assertThat(b.subscriptions().holdDurable(b.ids().next(), new DurableSubscription(null, "audit", "news", null,
                false, false)).get(20, TimeUnit.SECONDS)).as("shared and unshared do not replace each other")
                .isEqualTo(new Held(first, audit(null, true)));
        assertThat(stores.rows("SELECT cardinality(holders) FROM tmq_subscriptions")).containsExactly("0");

        // held by nobody now: replaced, its message dropped, b holds the new one, a is told of both
        List<Long> heardByA = new CopyOnWriteArrayList<>();
        a.listenSubscriptions(heardByA::add);
        listening(a);
        long second = b.ids().next();
        assertThat(b.subscriptions().holdDurable(second, audit("x = 1", true)).get(20, TimeUnit.SECONDS))
                .isEqualTo(new Held(second, audit("x = 1", true)));
        assertThat(stores.rows("SELECT id || ' ' || selector || ' ' || cardinality(holders) FROM tmq_subscriptions"))
                .containsExactly(second + " x = 1 1");
        assertThat(stores.rows("SELECT count(*) FROM tmq_messages")).containsExactly("0");
        eventually("a told of the removal and the new one", WAIT,
                () -> heardByA.contains(first) && heardByA.contains(second));

        // a broker taken for dead holds nothing: its subscription is replaced through another
        PostgresStore c = stores.open(fast, "host-c:5672");
        b.subscriptions().giveBack(second).get(20, TimeUnit.SECONDS);
        assertThat(c.subscriptions().holdDurable(c.ids().next(), audit("x = 1", true)).get(20, TimeUnit.SECONDS).id())
                .isEqualTo(second);
        assertThat(a.subscriptions().holdDurable(a.ids().next(), audit("x = 2", true)).get(20, TimeUnit.SECONDS).id())
                .as("c holds it").isEqualTo(second);
        c.kill();
        eventually("c taken for dead, the subscription replaced through a", WAIT, () -> a.subscriptions()
                .holdDurable(a.ids().next(), audit("x = 2", true)).join().terms().selector().equals("x = 2"));
    }
}
