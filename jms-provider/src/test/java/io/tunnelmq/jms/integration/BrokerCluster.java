package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.store.postgres.PostgresSettings;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A cluster of brokers over ONE PostgreSQL database ({@code store=postgresql}): brokers in this JVM
 * ({@link EmbeddedBroker}, each on a port of its own) and, for tests that kill one as a crash would, brokers in a
 * process of their own ({@link #startProcess}) over the same database, which lives in a process of its own too and so
 * outlives them. The brokers beat every {@link #HEARTBEAT_MILLIS} and take a broker silent for {@link #STALE_MILLIS}
 * for dead, so that a killed broker's messages come back within a test's patience.
 */
final class BrokerCluster implements AutoCloseable {
    static final long HEARTBEAT_MILLIS = 200;
    static final long STALE_MILLIS = 1_500;

    private final PostgresSettings database;
    private final Path dataDir;
    private final List<EmbeddedBroker> brokers = new CopyOnWriteArrayList<>();
    private final List<BrokerProcess> processes = new CopyOnWriteArrayList<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    private BrokerCluster(PostgresSettings database, Path dataDir) {
        this.database = database;
        this.dataDir = dataDir;
    }

    /** {@code count} brokers in this JVM over a new database, their data (page files) under {@code dataDir}. */
    static BrokerCluster start(Path dataDir, int count) {
        return start(dataDir, count, UnaryOperator.identity());
    }

    /** The same, each broker's configuration passed through {@code configure} (queue settings, say). */
    static BrokerCluster start(Path dataDir, int count, UnaryOperator<BrokerConfig> configure) {
        BrokerCluster cluster = new BrokerCluster(ClusterDatabase.newDatabase()
                .withHeartbeatMillis(HEARTBEAT_MILLIS).withStaleMillis(STALE_MILLIS), dataDir);
        try {
            for (int i = 0; i < count; i++) {
                cluster.startBroker(configure);
            }
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Starts one more broker in this JVM over the cluster's database; its index is the number started before. */
    EmbeddedBroker startBroker(UnaryOperator<BrokerConfig> configure) {
        Path data = directory("broker-" + brokers.size());
        EmbeddedBroker broker = EmbeddedBroker.start(configure.apply(BrokerConfig.defaults().withPort(0)
                .withDataDir(data).withPostgresqlStore(database)));
        brokers.add(broker);
        return broker;
    }

    /**
     * Starts a broker in a JVM of its own over the cluster's database, on a free port, with these extra lines of
     * broker.properties (queue settings, say), and waits until it listens. {@link BrokerProcess#kill()} is a crash.
     */
    BrokerProcess startProcess(String... properties) throws Exception {
        Path data = directory("process-" + processes.size());
        List<String> lines = new ArrayList<>(List.of("store=postgresql", "postgresql.url=" + database.url(),
                "postgresql.user=" + database.user(), "postgresql.password=" + database.password(),
                "postgresql.heartbeatMillis=" + HEARTBEAT_MILLIS, "postgresql.staleMillis=" + STALE_MILLIS));
        lines.addAll(Arrays.asList(properties));
        Path config = data.resolve("broker.properties");
        Files.write(config, lines);
        BrokerProcess process = BrokerProcess.start(data, BrokerProcess.freePort(), List.of("-Xmx256m"),
                List.of("--config", config.toString()));
        processes.add(process);
        return process;
    }

    private Path directory(String name) {
        try {
            return Files.createDirectories(dataDir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the broker's data directory under " + dataDir, e);
        }
    }

    /** Broker {@code i} of those started in this JVM, in start order. */
    EmbeddedBroker broker(int i) {
        return brokers.get(i);
    }

    int size() {
        return brokers.size();
    }

    /** The URL of broker {@code i} in this JVM, with {@code options} ({@code prefetch=0}, say) if any. */
    String url(int i, String... options) {
        return withOptions(brokers.get(i).url(), options);
    }

    /**
     * A failover URL listing these addresses ({@code host:port}) in this order, tried in that order
     * ({@code randomize=false}), with {@code options} after it.
     */
    static String failoverUrl(List<String> addresses, String... options) {
        String[] all = IntStream.range(0, options.length + 1)
                .mapToObj(i -> i == 0 ? "randomize=false" : options[i - 1]).toArray(String[]::new);
        return withOptions("tmq://" + String.join(",", addresses), all);
    }

    /** The address ({@code host:port}) of broker {@code i} in this JVM, as a failover URL lists it. */
    String address(int i) {
        return brokers.get(i).url().substring("tmq://".length());
    }

    private static String withOptions(String url, String... options) {
        return options.length == 0 ? url : url + "?" + Arrays.stream(options).collect(Collectors.joining("&"));
    }

    /** The database's settings, as every broker of the cluster has them. */
    PostgresSettings database() {
        return database;
    }

    /** Messages of queue {@code queue} still stored in the database (locked or not), whichever broker took them. */
    long stored(String queue) {
        return ClusterDatabase.count(database, "SELECT count(*) FROM tmq_messages WHERE queue_name = ?", queue);
    }

    /** A started client connection to {@code url} (with that client ID unless null), closed with the cluster. */
    Connection connect(String url, String clientId) throws JMSException {
        Connection connection = new TunnelConnectionFactory(url).createConnection();
        connections.add(connection);
        if (clientId != null) {
            connection.setClientID(clientId);
        }
        connection.start();
        return connection;
    }

    /**
     * Closes the connections it made, then stops every broker, those in processes included; the database stays until
     * the JVM exits.
     */
    @Override
    public void close() {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (JMSException e) {
                // closed by the test already, or its broker is gone
            }
        }
        for (BrokerProcess process : processes) {
            process.close();
        }
        for (EmbeddedBroker broker : brokers) {
            broker.close();
        }
    }
}
