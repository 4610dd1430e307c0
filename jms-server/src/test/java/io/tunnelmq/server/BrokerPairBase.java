package io.tunnelmq.server;

import io.tunnelmq.server.store.postgres.PostgresSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The base of a test of two brokers over one new PostgreSQL database ({@link BrokerPair}): {@link #a} and {@link #b},
 * started for each test, and the database {@link #db}.
 */
abstract class BrokerPairBase {
    @RegisterExtension
    final BrokerPair brokers = new BrokerPair();
    final PostgresSettings db = brokers.db();
    EmbeddedBroker a;
    EmbeddedBroker b;

    @BeforeEach
    void takePair() {
        a = brokers.a();
        b = brokers.b();
    }
}
