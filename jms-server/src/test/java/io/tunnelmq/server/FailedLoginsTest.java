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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Wrong passwords are answered later and later per source address; other addresses and right passwords are not. */
@Timeout(30)
class FailedLoginsTest {
    @TempDir
    Path dir;
    private EmbeddedBroker broker;

    private EmbeddedBroker start(long firstDelayMillis, long maxDelayMillis) {
        Path users = dir.resolve("users.properties");
        int code = PasswdCommand.run(new String[]{users.toString(), "alice"},
                new ByteArrayInputStream("wonder land\n".getBytes(StandardCharsets.UTF_8)), null,
                new PrintStream(new ByteArrayOutputStream()), System.err);
        assertThat(code).isZero();
        broker = EmbeddedBroker.start(BrokerFixture.config()
                        .withPeerLimits(PeerLimits.DEFAULTS.withLoginFailureDelay(firstDelayMillis, maxDelayMillis)),
                PasswordFile.load(users, false));
        return broker;
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void eachFailureFromAnAddressIsAnsweredLaterUpToTheCap() throws Exception {
        start(200, 800);
        assertThat(refusalMillis("127.0.0.3", "guess1")).isBetween(200L, 2_000L);
        assertThat(refusalMillis("127.0.0.3", "guess2")).isBetween(400L, 2_500L);
        assertThat(refusalMillis("127.0.0.3", "guess3")).isBetween(800L, 3_000L);
        assertThat(refusalMillis("127.0.0.3", "guess4")).isBetween(800L, 3_000L); // the cap
        assertThat(broker.management().counters().authFailures()).as("tunnelmq_auth_failures_total").isEqualTo(4);
    }

    @Test
    void anAddressInBackOffIsRefusedEvenWithTheRightPasswordWhileAnotherGetsIn() throws Exception {
        start(2_000, 2_000);
        try (TestClient earlier = TestClient.connectFrom(broker, "127.0.0.6")) {
            earlier.send(hello("wonder land"));
            assertThat(earlier.expect(Welcome.class).connectionId()).as("remembered from now on").isNotEmpty();
        }
        try (TestClient guesser = TestClient.connectFrom(broker, "127.0.0.4")) {
            guesser.send(hello("wrong"));
            // while the guesser's answer is held back, its address is blocked: the right password is not even checked
            BrokerFixture.eventually("the address blocked", () -> {
                try (TestClient probe = TestClient.connectFrom(broker, "127.0.0.4")) {
                    probe.send(hello("wonder land"));
                    return probe.next() instanceof ErrorFrame e && e.code() == ErrorCode.AUTHENTICATION_FAILED
                            && e.message().contains("too many failed logins from 127.0.0.4");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
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
        return new Hello(Protocol.VERSION, null, "alice", password, 0, Map.of());
    }
}
