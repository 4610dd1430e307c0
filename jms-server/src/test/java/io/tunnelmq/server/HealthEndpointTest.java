package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.net.Authenticator;
import io.tunnelmq.server.store.FakeRecordLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code /health/live} and {@code /health/ready} as a load balancer or a Kubernetes probe sees them: ready while the
 * broker serves, 503 saying why while its journal fails its writes (and a broker problem meanwhile), ready again once
 * the writes succeed, gone with the broker.
 */
@Timeout(30)
class HealthEndpointTest {
    private static final WireDestination Q = WireDestination.queue("orders");

    @TempDir
    Path dir;

    @Test
    void readyWhileServingNotWhileTheJournalFailsItsWritesAndLiveThroughout() throws Exception {
        FakeRecordLog.Disk disk = new FakeRecordLog.Disk();
        EmbeddedBroker broker = EmbeddedBroker.start(BrokerFixture.config().withPort(0).withJournal(dir)
                .withHttpPort(BrokerFixture.freePort()), Authenticator.ALLOW_ALL, disk.opener());
        int httpPort = broker.httpPort();
        ConsoleHttp http = new ConsoleHttp(httpPort);
        try (broker; TestClient client = TestClient.open(broker)) {
            assertAnswer(http.get("/health/live"), 200, "live\n");
            assertAnswer(http.get("/health/ready"), 200, "ready\n");

            int s = client.openSession(false);
            disk.log().failWith(new IOException("No space left on device"));
            long id = client.nextRequestId();
            ErrorFrame refused = client.refused(new Send(s, id, PersistenceTest.persistent(Q, "p1", 4)), id);
            assertThat(refused.code()).isEqualTo(ErrorCode.STORE_FAILURE);
            assertAnswer(http.get("/health/ready"), 503, "not ready: the journal's writes fail\n");
            assertAnswer(http.get("/health/live"), 200, "live\n");
            assertThat(broker.management().problems().now()).singleElement().asString()
                    .startsWith("the journal's writes fail; persistent sends and transactions are refused");

            disk.log().failWith(null);
            client.sendMessage(s, PersistenceTest.persistent(Q, "p2", 4));
            assertAnswer(http.get("/health/ready"), 200, "ready\n");
            assertThat(broker.management().problems().now()).isEmpty();
        }
        // a client of its own: one with a kept-alive connection to the closed port waits out its timeout instead
        assertThatThrownBy(() -> new ConsoleHttp(httpPort).get("/health/live")).as("the port goes with the broker")
                .isInstanceOf(ConnectException.class);
    }

    private static void assertAnswer(HttpResponse<String> response, int status, String body) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }
}
