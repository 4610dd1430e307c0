package io.tunnelmq.server;

import io.tunnelmq.server.store.postgres.PostgresSettings;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Two embedded brokers over one PostgreSQL database, each with a data directory of its own; {@code a} also serves
 * HTTP (console and metrics).
 */
record BrokerPair(EmbeddedBroker a, EmbeddedBroker b) implements AutoCloseable {

    static BrokerPair start(PostgresSettings db, Path dataA, Path dataB) throws IOException {
        EmbeddedBroker a = EmbeddedBroker.start(BrokerFixture.config().withDataDir(dataA).withPostgresqlStore(db)
                .withHttpPort(BrokerFixture.freePort()));
        try {
            return new BrokerPair(a, EmbeddedBroker.start(BrokerFixture.config().withDataDir(dataB)
                    .withPostgresqlStore(db)));
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }
}
