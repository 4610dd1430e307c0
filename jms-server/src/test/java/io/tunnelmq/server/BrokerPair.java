package io.tunnelmq.server;

import io.tunnelmq.server.store.postgres.PostgresFixture;
import io.tunnelmq.server.store.postgres.PostgresSettings;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Two embedded brokers over one new PostgreSQL database, each with a data directory of its own, started before each
 * test and stopped after it: {@code @RegisterExtension final BrokerPair brokers = new BrokerPair();}, or extend
 * {@link BrokerPairBase}. {@code a} also serves HTTP (console and metrics).
 */
final class BrokerPair implements BeforeEachCallback, AfterEachCallback {
    private final PostgresSettings db = PostgresFixture.newDatabase();
    private Path data;
    private EmbeddedBroker a;
    private EmbeddedBroker b;

    PostgresSettings db() {
        return db;
    }

    EmbeddedBroker a() {
        return a;
    }

    EmbeddedBroker b() {
        return b;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        data = Files.createTempDirectory("tunnelmq-pair");
        a = EmbeddedBroker.start(BrokerFixture.config().withDataDir(Files.createDirectory(data.resolve("a")))
                .withPostgresqlStore(db)
                .withHttpPort(BrokerFixture.freePort()));
        try {
            b = EmbeddedBroker.start(BrokerFixture.config().withDataDir(Files.createDirectory(data.resolve("b")))
                    .withPostgresqlStore(db));
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
        } finally {
            if (data != null) {
                delete(data);
            }
        }
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
