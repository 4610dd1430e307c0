package io.tunnelmq.server.store.postgres;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoreOp;
import io.tunnelmq.server.store.StoredQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.server.BrokerFixture.eventually;

/**
 * Several brokers' stores over one new PostgreSQL database, as a test opens them (each closed after the test:
 * {@code @RegisterExtension final PostgresStores stores = new PostgresStores();}), and what the tests of the store's
 * cluster side do with them: add messages to a queue, claim, listen, read rows.
 */
final class PostgresStores implements AfterEachCallback {
    /** The queue the tests use. */
    static final StoredQueue ORDERS = StoredQueue.queue("orders");
    /** How long a test waits for what another broker or the database does. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private final PostgresSettings db = PostgresFixture.newDatabase();
    private final List<PostgresStore> open = new ArrayList<>();

    PostgresSettings db() {
        return db;
    }

    /** A store of a broker at {@code address} (null: none given) with these settings. */
    PostgresStore open(PostgresSettings settings, String address) {
        PostgresStore store = PostgresStore.open(settings, address, 2_000);
        open.add(store);
        return store;
    }

    PostgresStore open() {
        return open(db, null);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        open.forEach(PostgresStore::close);
    }

    /** A persistent text message to the queue orders. */
    static WireMessage message(String id, int priority, long deliveryTime) {
        return new WireMessage(WireDestination.queue("orders"), id, 0, null, null, null, true, priority, 0,
                deliveryTime, Map.of(), BodyType.TEXT, ("body of " + id).getBytes(StandardCharsets.UTF_8));
    }

    static void add(PostgresStore store, StoredQueue queue, String... ids) throws Exception {
        List<StoreOp> ops = new ArrayList<>();
        for (String id : ids) {
            ops.add(new StoreOp.AddMessage(store.ids().next(), queue, message(id, 4, 0)));
        }
        store.write(ops).get(20, TimeUnit.SECONDS);
    }

    static SharedQueues.Claims claim(PostgresStore store, StoredQueue queue, int max, long now) throws Exception {
        return store.claim(queue, max, now, Runnable::run).get(20, TimeUnit.SECONDS);
    }

    /** What a claim got, as {@code id#deliveryCount}. */
    static List<String> names(SharedQueues.Claims claims) {
        return claims.claimed().stream().map(c -> c.message().messageId() + "#" + c.deliveryCount()).toList();
    }

    /** Completes when {@code store} fences itself. */
    static CompletableFuture<Void> fenced(PostgresStore store) {
        CompletableFuture<Void> fenced = new CompletableFuture<>();
        store.listenFenced(() -> fenced.complete(null));
        return fenced;
    }

    /** A listener that notes what it hears: queue names, or "*" for any queue. */
    static List<String> listen(PostgresStore store) {
        List<String> heard = new CopyOnWriteArrayList<>();
        store.listen(queue -> heard.add(queue == null ? "*" : queue.toString()));
        return heard;
    }

    /** Waits until the store listens (its listening connection says "any queue" when it does). */
    static void listening(PostgresStore store) throws InterruptedException {
        List<String> woken = new CopyOnWriteArrayList<>();
        store.listen(queue -> woken.add(queue == null ? "*" : queue.toString()));
        eventually("the store listens", WAIT, () -> woken.contains("*"));
    }

    /** The addresses of the brokers in the database, in order. */
    List<String> brokers() {
        return rows("SELECT address FROM tmq_brokers ORDER BY address");
    }

    /** The first column of what {@code query} returns, as text. */
    List<String> rows(String query) {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
        return rows;
    }
}
