package io.tunnelmq.server;

import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.store.StoreOpenException;
import io.tunnelmq.server.store.postgres.PostgresFixture;
import io.tunnelmq.server.store.postgres.PostgresSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tunnelmq.server.Messages.id;
import static io.tunnelmq.server.PersistenceTest.persistent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A broker the other brokers over the shared database took for dead, though it is alive (cut off or paused past
 * postgresql.staleMillis): it stops serving rather than deliver what they hand on beside them, and the standalone
 * broker (or an embedded {@link RejoiningBroker}) starts again as a new member, where its clients knew it.
 */
@Timeout(60)
class FencedBrokerTest {
    private static final WireDestination Q = WireDestination.queue("orders");
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final PostgresSettings db = PostgresFixture.newDatabase();

    private EmbeddedBroker start(String name) {
        return EmbeddedBroker.start(BrokerFixture.config().withDataDir(dir.resolve(name)).withPostgresqlStore(db));
    }

    @Test
    void aBrokerTakenForDeadClosesItsClientsJoinsNoMoreAndTheOtherDeliversWhatItHeld() throws Exception {
        try (EmbeddedBroker a = start("a")) {
            String idOfA = PostgresFixture.text(db, "SELECT broker_id FROM tmq_brokers");
            try (EmbeddedBroker b = start("b"); TestClient onA = TestClient.open(a)) {
                int s = onA.openSession(false);
                onA.sendMessage(s, persistent(Q, "held"));
                onA.createConsumer(s, 1, Q, 1);
                assertThat(id(onA.awaitDelivery(s, 1))).isEqualTo("held");

                PostgresFixture.takeForDead(db, idOfA);
                a.fenced().get(20, TimeUnit.SECONDS);
                assertThat(onA.awaitClosed(Duration.ofSeconds(10))).as("A closed its client's connection").isTrue();
                assertThat(PostgresFixture.count(db, "SELECT count(*) FROM tmq_brokers WHERE broker_id = '" + idOfA
                        + "'")).as("A joined again under its old id").isZero();
                try (TestClient onB = TestClient.open(b)) {
                    int sb = onB.openSession(false);
                    onB.createConsumer(sb, 1, Q, 1);
                    Deliver again = onB.awaitDelivery(sb, 1);
                    assertThat(id(again)).isEqualTo("held");
                    onB.settle(sb, SettleOutcome.COMPLETE, again.lockToken());
                }
                BrokerFixture.eventually("the message completed through B is gone from the database", PATIENCE,
                        () -> PostgresFixture.count(db, "SELECT count(*) FROM tmq_messages") == 0);
            }
        }
    }

    @Test
    void aBrokerWhoseDatabaseRefusesConnectionsStopsWithoutWaitingForItsConnectionTimeout() throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.start(BrokerFixture.config().withDataDir(dir.resolve("refused"))
                .withPostgresqlStore(db.withHeartbeatMillis(200).withStaleMillis(1_500)));
        String name = PostgresFixture.name(db);
        try {
            long refused = System.nanoTime();
            PostgresFixture.sql("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
            broker.fenced().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            // fenced 1.4 s after its last heartbeat; a heartbeat waiting for a connection must not hold the close
            // for the pool's connection timeout (10 s)
            assertThat(Duration.ofNanos(System.nanoTime() - refused)).isLessThan(Duration.ofSeconds(8));
        } finally {
            PostgresFixture.sql("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
            broker.close();
        }
    }

    @Test
    void aStandaloneBrokerThatCannotStartAgainTriesEverySecondUntilItCan() throws Exception {
        EmbeddedBroker first = start("first");
        AtomicReference<EmbeddedBroker> serving = new AtomicReference<>(first);
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
            try {
                Broker.serve(serving, first.config(), config -> {
                    if (attempts.incrementAndGet() < 3) {
                        throw new StoreOpenException("the database is out of reach (attempt " + attempts + ")", null);
                    }
                    return EmbeddedBroker.start(config);
                }, stop);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            PostgresFixture.takeForDead(db, PostgresFixture.text(db, "SELECT broker_id FROM tmq_brokers"));
            BrokerFixture.eventually("serving again", PATIENCE, () -> serving.get() != null && serving.get() != first);
            assertThat(attempts).as("attempts to start again").hasValue(3);
            assertThat(serving.get().port()).as("its port").isEqualTo(first.port());
        } finally {
            stop.complete(null);
            served.get(20, TimeUnit.SECONDS);
            EmbeddedBroker last = serving.get();
            if (last != null) {
                last.close();
            }
        }
    }

    @Test
    void aBrokerTakenForDeadServesAgainOnItsPortAsANewMemberUntilClosed() throws Exception {
        EmbeddedBroker first;
        int port;
        try (RejoiningBroker broker = RejoiningBroker.start(BrokerFixture.config().withDataDir(dir.resolve("rejoining"))
                .withPostgresqlStore(db))) {
            first = broker.current();
            port = first.port();
            String idOfFirst = PostgresFixture.text(db, "SELECT broker_id FROM tmq_brokers");
            try (TestClient client = TestClient.open(first)) {
                client.sendMessage(client.openSession(false), persistent(Q, "kept"));
            }

            PostgresFixture.takeForDead(db, idOfFirst);
            BrokerFixture.eventually("a new broker serves", PATIENCE,
                    () -> broker.current() != null && broker.current() != first);
            assertThat(broker.current().port()).as("where its clients knew it").isEqualTo(port);
            assertThat(PostgresFixture.count(db, "SELECT count(*) FROM tmq_brokers WHERE broker_id <> '"
                    + idOfFirst + "'")).as("a new member").isEqualTo(1);
            try (TestClient client = TestClient.open(broker.current())) {
                int s = client.openSession(false);
                client.createConsumer(s, 1, Q, 1);
                Deliver kept = client.awaitDelivery(s, 1);
                assertThat(id(kept)).isEqualTo("kept");
            }
        }
        assertThatThrownBy(() -> TestClient.open("127.0.0.1", port)).as("closed with it")
                .isInstanceOf(IOException.class);
    }

    /** A standalone broker ({@link Broker#run}) over the test's database, listening on {@code port}. */
    private record Standalone(int port, CompletableFuture<Integer> exit, CountDownLatch stop) {
    }

    private Standalone standalone(String... configLines) throws Exception {
        Path config = dir.resolve("broker.properties");
        List<String> lines = new ArrayList<>(List.of("store=postgresql", "postgresql.url=" + db.url(),
                "postgresql.user=" + db.user(), "postgresql.password=" + db.password()));
        lines.addAll(List.of(configLines));
        Files.write(config, lines);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CountDownLatch stop = new CountDownLatch(1);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Broker.run(new String[] {"--port", "0",
                "--http-port", "0", "--data", dir.resolve("data").toString(), "--config", config.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), stop));
        BrokerFixture.eventually("listening line printed", PATIENCE,
                () -> out.toString(StandardCharsets.UTF_8).contains("\n") || exit.isDone());
        Matcher m = Pattern.compile("listening on tmq://127\\.0\\.0\\.1:(\\d+)")
                .matcher(out.toString(StandardCharsets.UTF_8));
        assertThat(m.find()).as(out.toString(StandardCharsets.UTF_8)).isTrue();
        return new Standalone(Integer.parseInt(m.group(1)), exit, stop);
    }

    /** The broker listening on {@code port} stores and delivers a message. */
    private static void serves(int port) throws Exception {
        BrokerFixture.eventually("it listens again on port " + port, PATIENCE, () -> connects(port));
        try (TestClient client = TestClient.open("127.0.0.1", port)) {
            int s = client.openSession(false);
            client.sendMessage(s, persistent(Q, "after"));
            client.createConsumer(s, 1, Q, 1);
            assertThat(id(client.awaitDelivery(s, 1))).isEqualTo("after");
        }
    }

    @Test
    void theStandaloneBrokerTakenForDeadStartsAgainWhereItListenedAsANewMember() throws Exception {
        Standalone broker = standalone();
        try {
            String first = PostgresFixture.text(db, "SELECT broker_id FROM tmq_brokers");
            PostgresFixture.takeForDead(db, first);
            BrokerFixture.eventually("a new member in its place", PATIENCE, () -> {
                String now = PostgresFixture.text(db, "SELECT broker_id FROM tmq_brokers");
                return now != null && !now.equals(first);
            });
            serves(broker.port());
        } finally {
            broker.stop().countDown();
        }
        assertThat(broker.exit().get(20, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void theStandaloneBrokerWhoseDatabaseWasGoneLongerThanStaleMillisStartsAgainOnceItIsBack() throws Exception {
        Standalone broker = standalone("postgresql.heartbeatMillis=200", "postgresql.staleMillis=1500");
        String name = PostgresFixture.name(db);
        try {
            PostgresFixture.sql("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
            try {
                BrokerFixture.eventually("it stopped serving (fenced), and cannot start again", PATIENCE,
                        () -> !connects(broker.port()));
            } finally {
                PostgresFixture.sql("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
            }
            serves(broker.port());
            // its first run fenced itself without leaving (the database was gone): the new one reaps it
            BrokerFixture.eventually("one member", PATIENCE,
                    () -> PostgresFixture.count(db, "SELECT count(*) FROM tmq_brokers") == 1);
        } finally {
            broker.stop().countDown();
        }
        assertThat(broker.exit().get(20, TimeUnit.SECONDS)).isZero();
    }

    /** Whether a client is welcomed on {@code port}: refused, or closed by a broker shutting down, is not. */
    private static boolean connects(int port) {
        try (TestClient ignored = TestClient.open("127.0.0.1", port)) {
            return true;
        } catch (IOException | AssertionError e) { // TestClient's "connection closed by the broker" is an AssertionError
            return false;
        }
    }
}
