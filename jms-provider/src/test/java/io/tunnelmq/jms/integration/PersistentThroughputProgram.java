package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.store.postgres.PostgresSettings;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Measures persistent 1 KiB synchronous sends per second (each send returns once the broker stored it) from one
 * producer, then from four producers on their own connections, against an in-JVM broker with a journal in a temporary
 * directory. Run by hand like {@link ThroughputProgram} (it is not a test):
 * {@code java -cp ... io.tunnelmq.jms.integration.PersistentThroughputProgram [messagesPerProducer] [memory]}; with
 * {@code memory} the broker keeps nothing, which measures the round trips alone; with a
 * {@code jdbc:postgresql://host:port/database} URL (user from {@code -Dpostgresql.user}, default postgres, password
 * from {@code -Dpostgresql.password}) it keeps them in that PostgreSQL database (store=postgresql).
 */
public final class PersistentThroughputProgram {
    private PersistentThroughputProgram() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args.length > 0 ? args[0] : "10000");
        Path dir = Files.createTempDirectory("tmq-throughput");
        BrokerConfig config = BrokerConfig.defaults().withPort(0);
        String store = args.length > 1 ? args[1] : "journal";
        if (store.startsWith("jdbc:postgresql:")) {
            config = config.withDataDir(dir).withPostgresqlStore(new PostgresSettings(store,
                    System.getProperty("postgresql.user", "postgres"), System.getProperty("postgresql.password"),
                    PostgresSettings.DEFAULT_POOL_SIZE));
        } else if (!store.equals("memory")) {
            config = config.withJournal(dir);
        }
        try (EmbeddedBroker broker = EmbeddedBroker.start(config)) {
            TunnelConnectionFactory factory = new TunnelConnectionFactory(broker.url());
            run(factory, "warm-up, 1 producer", 1, Math.min(count, 2_000));
            run(factory, "1 producer", 1, count);
            run(factory, "4 producers", 4, count);
        }
    }

    private static void run(TunnelConnectionFactory factory, String label, int producers, int count) throws Exception {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int p = 0; p < producers; p++) {
            all.add(CompletableFuture.runAsync(() -> {
                try (Connection c = factory.createConnection()) {
                    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageProducer producer = s.createProducer(s.createQueue("throughput"));
                    BytesMessage m = s.createBytesMessage();
                    m.writeBytes(new byte[1024]);
                    for (int i = 0; i < count; i++) {
                        producer.send(m);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: %d persistent 1 KiB sends in %.2f s = %.0f msg/s%n", label, producers * count, seconds,
                producers * count / seconds);
    }
}
