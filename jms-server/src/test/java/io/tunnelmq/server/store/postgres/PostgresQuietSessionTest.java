package io.tunnelmq.server.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.store.postgres.PostgresStores.ORDERS;
import static io.tunnelmq.server.store.postgres.PostgresStores.WAIT;
import static io.tunnelmq.server.store.postgres.PostgresStores.add;
import static io.tunnelmq.server.store.postgres.PostgresStores.claim;
import static io.tunnelmq.server.store.postgres.PostgresStores.fenced;
import static io.tunnelmq.server.store.postgres.PostgresStores.names;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session gone quiet in the middle of a transaction keeps its row locks: a dead broker's, cut off between a
 * statement and its commit (a stalled network: neither end sees the connection close), or an operator's forgotten
 * {@code BEGIN}. The other brokers beat on beside it, and take the dead broker for dead once the lock is gone. A
 * database that stops answering the connection that listens for wake-ups has it opened again.
 */
@Timeout(60)
class PostgresQuietSessionTest {
    private static final String DYING = "host-a:5672";
    private static final String OTHER = "host-b:5672";

    @RegisterExtension
    final PostgresStores stores = new PostgresStores();
    private final PostgresSettings fast = stores.db().withHeartbeatMillis(100).withStaleMillis(600);

    @Test
    void aBrokerCutOffInTheMiddleOfATransactionIsTakenForDeadOnceTheDatabaseEndsItsSession() throws Exception {
        PostgresStore dying = stores.open(fast, DYING);
        PostgresStore other = stores.open(fast, OTHER);
        CompletableFuture<Void> otherFenced = fenced(other);
        add(dying, ORDERS, "m1");
        assertThat(claim(dying, ORDERS, 10, System.currentTimeMillis()).claimed()).hasSize(1);
        // a session made as its pool makes them, cut off after a beat's and a claim's updates, before their commit
        HikariDataSource pool = DatabaseOpening.open(fast, 2_000).dataSource();
        try {
            Connection cutOff = pool.getConnection(); // not closed: that would roll back a session that is gone
            lockRows(cutOff, "UPDATE tmq_brokers SET heartbeat_at = heartbeat_at WHERE address = '" + DYING + "'",
                    "UPDATE tmq_messages SET lease_until = lease_until WHERE lease_owner IS NOT NULL");
            dying.kill();

            eventually("the dying broker is taken for dead", WAIT, () -> stores.brokers().equals(List.of(OTHER)));
            assertThat(cutOff.isValid(5)).as("the session the database ended").isFalse();
        } finally {
            pool.close();
        }
        assertThat(names(claim(other, ORDERS, 10, System.currentTimeMillis()))).containsExactly("m1#1");
        assertThat(otherFenced).as("the other broker fenced").isNotDone();
    }

    @Test
    void anOpenTransactionOnADeadBrokersRowHoldsUpNeitherTheOthersHeartbeatNorTheHandingOnAfterIt() throws Exception {
        PostgresStore dying = stores.open(fast, DYING);
        PostgresStore other = stores.open(fast, OTHER);
        CompletableFuture<Void> otherFenced = fenced(other);
        try (Connection operator = session()) { // psql: none of the brokers' session settings
            lockRows(operator, "UPDATE tmq_brokers SET heartbeat_at = heartbeat_at WHERE address = '" + DYING + "'");
            long lockedAt = PostgresFixture.count(fast, "SELECT (extract(epoch FROM now()) * 1000)::bigint");
            dying.kill();

            // a heartbeat waiting on the lock would have fenced the other broker within a stale time
            eventually("the other broker beats on while the dead one's row is locked", WAIT,
                    () -> PostgresFixture.count(fast, "SELECT (extract(epoch FROM heartbeat_at) * 1000)::bigint"
                            + " FROM tmq_brokers WHERE address = '" + OTHER + "'") > lockedAt + 3 * fast.staleMillis());
            assertThat(stores.brokers()).as("the locked row").containsExactly(DYING, OTHER);
            operator.rollback();
        }
        eventually("the dying broker is taken for dead once the lock is gone", WAIT,
                () -> stores.brokers().equals(List.of(OTHER)));
        assertThat(otherFenced).as("the other broker fenced").isNotDone();
    }

    @Test
    void aListeningConnectionWhoseDatabaseStopsAnsweringIsOpenedAgain() throws Exception {
        PostgresStore store = stores.open(fast, OTHER);
        List<String> heard = PostgresStores.listen(store);
        eventually("it listens", WAIT, () -> heard.contains("*"));
        long backend = PostgresFixture.count(fast, "SELECT pid FROM pg_stat_activity WHERE application_name = '"
                + WakeListener.APPLICATION_NAME + "' AND datname = '" + PostgresFixture.name(fast) + "'");
        heard.clear();
        signal("STOP", backend); // its end of the connection answers nothing, as behind a stalled network
        try {
            eventually("it listens again, on a connection of its own", WAIT, () -> heard.contains("*"));
        } finally {
            signal("CONT", backend);
        }
        PostgresStore other = stores.open(fast, DYING);
        add(other, ORDERS, "m1");
        eventually("the new connection hears the others", WAIT, () -> heard.contains("orders"));
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + name).isTrue();
    }

    private Connection session() throws SQLException {
        return DriverManager.getConnection(fast.url(), fast.user(), fast.password());
    }

    /** Runs {@code updates} in a transaction it leaves open. */
    private static void lockRows(Connection connection, String... updates) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            for (String update : updates) {
                assertThat(s.executeUpdate(update)).as(update).isPositive();
            }
        }
    }
}
