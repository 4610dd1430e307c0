package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.server.store.postgres.PostgresFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JMS allows a client ID on one connection at a time, and over a shared database that means through any broker: a
 * second connection with it through another broker is refused, until the first closes or its broker is taken for
 * dead; a client that lost its connection and fails over to another broker takes its client ID over there with its
 * resume key, and the broker that still held the old connection ends it.
 */
@Timeout(60)
class ClusterClientIdsTest extends BrokerPairBase {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String HELD = "SELECT count(*) FROM tmq_client_ids";

    @Test
    void aClientIdInUseThroughOneBrokerIsRefusedThroughTheOtherUntilItsConnectionCloses() throws Exception {
        try (TestClient first = TestClient.connect(a); TestClient second = TestClient.connect(b)) {
            first.hello("app", 0, Map.of());
            ErrorFrame refused = refusedHello(second, "app", Map.of());
            assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_CLIENT_ID);
            assertThat(refused.message()).contains("'app' is already in use", "another over the same database");
            assertThat(second.awaitClosed(WAIT)).isTrue();
        }
        BrokerFixture.eventually("A gave the client ID back", WAIT, () -> PostgresFixture.count(db, HELD) == 0);
        try (TestClient again = TestClient.connect(b)) {
            again.hello("app", 0, Map.of());
            assertThat(PostgresFixture.text(db, "SELECT broker_id FROM tmq_client_ids"))
                    .isEqualTo(b.destinations().storage().shared().brokerId());
        }
    }

    @Test
    void aClientThatFailsOverTakesItsClientIdOverAndItsOldConnectionEnds() throws Exception {
        try (TestClient lost = TestClient.connect(a); TestClient resumed = TestClient.connect(b)) {
            String previous = lost.hello("app", 0, Map.of(Hello.OPTION_RESUME_KEY, "secret-1")).connectionId();
            // the client lost its connection to A (A has not noticed) and fails over to B with the same key
            resumed.hello("app", 0, Map.of(Hello.OPTION_RESUME, previous, Hello.OPTION_RESUME_KEY, "secret-1"));
            assertThat(lost.awaitClosed(WAIT)).as("A ended the connection whose client ID was taken over").isTrue();
            assertThat(lost.stash()).anySatisfy(f -> assertThat(((ErrorFrame) f).message())
                    .contains("client ID was taken over through another broker"));
            assertThat(PostgresFixture.text(db, "SELECT connection_id FROM tmq_client_ids"))
                    .isEqualTo(resumed.welcome().connectionId());
        }
    }

    @Test
    void aResumeWithAnotherKeyOrUserTakesNothingOver() throws Exception {
        try (TestClient held = TestClient.connect(a); TestClient impostor = TestClient.connect(b)) {
            String previous = held.hello("app", 0, Map.of(Hello.OPTION_RESUME_KEY, "secret-1")).connectionId();
            ErrorFrame refused = refusedHello(impostor, "app", Map.of(Hello.OPTION_RESUME, previous,
                    Hello.OPTION_RESUME_KEY, "guessed"));
            assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_CLIENT_ID);
            int s = held.openSession(false); // still open on A
            assertThat(s).isPositive();
            assertThat(PostgresFixture.text(db, "SELECT connection_id FROM tmq_client_ids")).isEqualTo(previous);
        }
    }

    @Test
    void aClientIdHeldThroughABrokerTakenForDeadIsFree() throws Exception {
        try (TestClient stranded = TestClient.connect(a); TestClient next = TestClient.connect(b)) {
            stranded.hello("app", 0, Map.of());
            PostgresFixture.takeForDead(db, a.destinations().storage().shared().brokerId());
            next.hello("app", 0, Map.of());
        }
    }

    private static ErrorFrame refusedHello(TestClient client, String clientId, Map<String, Object> options)
            throws IOException {
        client.send(new Hello(Protocol.VERSION, clientId, null, null, 0, options));
        return client.expect(ErrorFrame.class);
    }
}
