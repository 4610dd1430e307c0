package io.tunnelmq.server;

import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.store.postgres.PostgresFixture;
import io.tunnelmq.server.store.postgres.PostgresSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static io.tunnelmq.server.PersistenceTest.persistent;

/** Over a shared database the metrics say what the database holds, not only what this broker claimed. */
@Timeout(60)
class ClusterMetricsTest {
    @TempDir
    Path dataA;
    @TempDir
    Path dataB;

    private final PostgresSettings db = PostgresFixture.newDatabase();
    private EmbeddedBroker a;
    private EmbeddedBroker b;

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void theClusterBacklogAndItsBrokersAreMetrics() throws Exception {
        a = EmbeddedBroker.start(BrokerFixture.config().withDataDir(dataA).withPostgresqlStore(db)
                .withHttpPort(BrokerFixture.freePort()));
        b = EmbeddedBroker.start(BrokerFixture.config().withDataDir(dataB).withPostgresqlStore(db));
        try (TestClient onB = TestClient.open(b)) {
            int s = onB.openSession(false);
            for (int i = 0; i < 3; i++) {
                onB.sendMessage(s, persistent(WireDestination.queue("orders"), "m" + i));
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest metrics = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.httpPort() + "/metrics"))
                .build();
        BrokerFixture.eventually("A's metrics show the messages sent through B", Duration.ofSeconds(20), () -> {
            try {
                String body = http.send(metrics, HttpResponse.BodyHandlers.ofString()).body();
                return body.contains("tunnelmq_cluster_queue_messages{queue=\"orders\"} 3.0")
                        && body.contains("tunnelmq_cluster_queue_messages_claimed{queue=\"orders\"} 0.0")
                        && body.contains("tunnelmq_cluster_brokers 2.0");
            } catch (Exception e) {
                return false;
            }
        });
    }
}
