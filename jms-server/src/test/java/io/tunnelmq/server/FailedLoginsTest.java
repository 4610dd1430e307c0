package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.server.security.PasswdCommand;
import io.tunnelmq.server.security.PasswordFile;
import io.tunnelmq.server.security.PeerLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wrong passwords are answered later and later per user and source address; other addresses, other users behind the
 * same address and right passwords are not, unless the address fails as several users.
 */
@Timeout(30)
class FailedLoginsTest {
    @TempDir
    Path dir;
    private EmbeddedBroker broker;

    private EmbeddedBroker start(long firstDelayMillis, long maxDelayMillis) {
        Path users = dir.resolve("users.properties");
        addUser(users, "alice", "wonder land");
        addUser(users, "bob", "builder");
        broker = EmbeddedBroker.start(BrokerFixture.config()
                        .withPeerLimits(PeerLimits.DEFAULTS.withLoginFailureDelay(firstDelayMillis, maxDelayMillis)),
                PasswordFile.load(users, false));
        return broker;
    }

    private static void addUser(Path users, String user, String password) {
        int code = PasswdCommand.run(new String[]{users.toString(), user},
                new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8)), null,
                new PrintStream(new ByteArrayOutputStream()), System.err);
        assertThat(code).isZero();
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void eachFailureOfAUserFromAnAddressIsAnsweredLaterUpToTheCap() throws Exception {
        start(200, 800);
        assertThat(refusalMillis("127.0.0.3", "guess1")).isBetween(200L, 2_000L);
        assertThat(refusalMillis("127.0.0.3", "guess2")).isBetween(400L, 2_500L);
        assertThat(refusalMillis("127.0.0.3", "guess3")).isBetween(800L, 3_000L);
        assertThat(refusalMillis("127.0.0.3", "guess4")).isBetween(800L, 3_000L); // the cap
        assertThat(broker.management().counters().authFailures()).as("tunnelmq_auth_failures_total").isEqualTo(4);
    }

    @Test
    void aUserInBackOffFromAnAddressIsRefusedEvenWithTheRightPasswordWhileAnotherAddressGetsIn() throws Exception {
        start(2_000, 2_000);
        try (TestClient earlier = TestClient.connectFrom(broker, "127.0.0.6")) {
            earlier.send(hello("wonder land"));
            assertThat(earlier.expect(Welcome.class).connectionId()).as("remembered from now on").isNotEmpty();
        }
        try (TestClient guesser = TestClient.connectFrom(broker, "127.0.0.4")) {
            guesser.send(hello("wrong"));
            // while the guesser's answer is held back, its address is blocked: the right password is not even checked
            BrokerFixture.eventually("alice blocked", () -> refusedWith("127.0.0.4", "alice", "wonder land",
                    "too many failed logins as user 'alice' from 127.0.0.4"));
            try (TestClient other = TestClient.connectFrom(broker, "127.0.0.5")) {
                other.send(hello("wonder land"));
                assertThat(other.expect(Welcome.class).connectionId()).isNotEmpty();
            }
            assertThat(guesser.expect(ErrorFrame.class).code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        }
        // once the delay has run out, the right password gets in from that address too
        BrokerFixture.eventually("let in again", () -> {
            try (TestClient later = TestClient.connectFrom(broker, "127.0.0.4")) {
                later.send(hello("wonder land"));
                return later.next() instanceof Welcome;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void oneUserFailingBehindASharedAddressDoesNotKeepAnotherUserBehindItOut() throws Exception {
        start(2_000, 2_000);
        try (TestClient misconfigured = TestClient.connectFrom(broker, "127.0.0.7")) {
            misconfigured.send(hello("alice", "last year's password"));
            BrokerFixture.eventually("alice refused", () -> broker.management().counters().authFailures() == 1);
            // alice's block has begun; bob gets in from the same address while it runs
            try (TestClient colleague = TestClient.connectFrom(broker, "127.0.0.7")) {
                colleague.send(hello("bob", "builder"));
                assertThat(colleague.expect(Welcome.class).connectionId()).isNotEmpty();
            }
            assertThat(refusedWith("127.0.0.7", "alice", "wonder land",
                    "too many failed logins as user 'alice' from 127.0.0.7")).as("alice still blocked").isTrue();
            assertThat(misconfigured.expect(ErrorFrame.class).code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
        }
    }

    @Test
    void anAddressFailingAsThreeDifferentUsersIsRefusedForEveryUser() throws Exception {
        start(2_000, 2_000);
        List<TestClient> sprayers = new ArrayList<>();
        try {
            for (String user : List.of("admin", "root", "guest")) {
                TestClient sprayer = TestClient.connectFrom(broker, "127.0.0.8");
                sprayers.add(sprayer);
                sprayer.send(hello(user, "Winter2026!"));
            }
            BrokerFixture.eventually("the address blocked", () -> refusedWith("127.0.0.8", "bob", "builder",
                    "too many failed logins from 127.0.0.8 as different users"));
            try (TestClient elsewhere = TestClient.connectFrom(broker, "127.0.0.9")) {
                elsewhere.send(hello("bob", "builder"));
                assertThat(elsewhere.expect(Welcome.class).connectionId()).isNotEmpty();
            }
            for (TestClient sprayer : sprayers) {
                assertThat(sprayer.expect(ErrorFrame.class).code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            }
        } finally {
            for (TestClient sprayer : sprayers) {
                sprayer.close();
            }
        }
    }

    private boolean refusedWith(String from, String user, String password, String message) {
        try (TestClient probe = TestClient.connectFrom(broker, from)) {
            probe.send(hello(user, password));
            return probe.next() instanceof ErrorFrame e && e.code() == ErrorCode.AUTHENTICATION_FAILED
                    && e.message().contains(message);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private long refusalMillis(String from, String password) throws IOException {
        try (TestClient client = TestClient.connectFrom(broker, from)) {
            long start = System.nanoTime();
            client.send(hello(password));
            ErrorFrame error = client.expect(ErrorFrame.class);
            assertThat(error.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(error.message()).contains("wrong user name or password");
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    private static Hello hello(String password) {
        return hello("alice", password);
    }

    private static Hello hello(String user, String password) {
        return new Hello(Protocol.VERSION, null, user, password, 0, Map.of());
    }
}
