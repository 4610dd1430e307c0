package io.tunnelmq.server;

import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.store.postgres.PostgresFixture;
import io.tunnelmq.server.store.postgres.PostgresSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static io.tunnelmq.server.Messages.id;
import static io.tunnelmq.server.PersistenceTest.persistent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An embedded broker the other brokers took for dead comes back by itself, where its clients knew it. */
@Timeout(60)
class RejoiningBrokerTest {
    private static final WireDestination Q = WireDestination.queue("orders");
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final PostgresSettings db = PostgresFixture.newDatabase();

    @Test
    void aBrokerTakenForDeadServesAgainOnItsPortAsANewMemberUntilClosed() throws Exception {
        EmbeddedBroker first;
        int port;
        try (RejoiningBroker broker = RejoiningBroker.start(BrokerFixture.config().withDataDir(dir)
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
}
