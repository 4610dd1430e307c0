package io.tunnelmq.server;

import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.server.admin.AdminCommand;
import io.tunnelmq.server.security.PasswordFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code admin disconnect USER}: after a password is revoked, the user's open connections and web console sessions go
 * too, no one else's.
 */
@Timeout(30)
class AdminDisconnectTest {

    @Test
    void everyConnectionOfTheUserIsClosedAndOthersStay() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerFixture.config()
                .withHttpPort(BrokerFixture.freePort()), new PasswordFile(Map.of(
                "alice", "alice-pw", "mallory", "leaked-pw"), false));
             TestClient first = login(broker, "mallory", "leaked-pw");
             TestClient second = login(broker, "mallory", "leaked-pw");
             TestClient alice = login(broker, "alice", "alice-pw")) {
            ConsoleHttp console = new ConsoleHttp(broker);
            assertThat(console.login("mallory", "leaked-pw").statusCode()).isEqualTo(200);
            ConsoleHttp alicesConsole = new ConsoleHttp(broker);
            assertThat(alicesConsole.login("alice", "alice-pw").statusCode()).isEqualTo(200);

            AdminRun run = admin(broker, "disconnect", "mallory");
            assertThat(run.code()).as(run.err()).isZero();
            assertThat(run.out().lines().toList()).hasSize(4).first().asString().contains("closed");
            assertThat(run.out()).contains("1 console session(s)");
            assertThat(console.get("/console/api/queues").statusCode()).as("mallory's console session").isEqualTo(401);
            assertThat(alicesConsole.get("/console/api/queues").statusCode()).isEqualTo(200);
            assertThat(first.awaitClosed(Duration.ofSeconds(5))).isTrue();
            assertThat(second.awaitClosed(Duration.ofSeconds(5))).isTrue();
            assertThat(broker.management().openConnections()).extracting(v -> v.user())
                    .doesNotContain("mallory").contains("alice");
            assertThat(alice.openSession(false)).as("alice's connection still works").isPositive();

            AdminRun again = admin(broker, "disconnect", "mallory");
            assertThat(again.code()).isEqualTo(1);
            assertThat(again.err()).contains("user 'mallory' has no open connection or console session");
            AdminRun bare = admin(broker, "disconnect");
            assertThat(bare.code()).isEqualTo(1);
            assertThat(bare.err()).contains("disconnect takes one operand: admin disconnect USER");
        }
    }

    private static AdminRun admin(EmbeddedBroker broker, String... args) {
        List<String> all = new ArrayList<>(List.of("--user", "alice"));
        all.addAll(List.of(args));
        return AdminRun.against(broker.url(), Map.of(AdminCommand.PASSWORD_VARIABLE, "alice-pw"),
                all.toArray(String[]::new));
    }

    private static TestClient login(EmbeddedBroker broker, String user, String password) throws IOException {
        TestClient client = TestClient.connect(broker);
        client.send(new Hello(Protocol.VERSION, null, user, password, 0, Map.of()));
        client.expect(Welcome.class);
        return client;
    }
}
