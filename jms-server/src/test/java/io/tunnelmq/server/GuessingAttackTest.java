package io.tunnelmq.server;

import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.server.net.Authenticator;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A password guesser as an attacker runs one: many connections from one address at once, each guessing again as soon
 * as its answer comes. The login back-off must bound the guesses the broker actually checks, however many connections
 * wait at the moment a delay runs out, while another user behind the same address still gets in.
 */
@Timeout(60)
class GuessingAttackTest {
    private static final int CONNECTIONS = 40;
    private static final long ATTACK_MILLIS = 2_000;

    @TempDir
    Path dir;
    private final AtomicInteger checked = new AtomicInteger();
    private EmbeddedBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void parallelGuessesAreCheckedAboutOncePerDelayAndAnotherUserBehindTheAddressGetsIn() throws Exception {
        // a users file's own hash gives each check its real cost (about 80 ms here)
        Path file = dir.resolve("users.properties");
        for (String[] user : new String[][] {{"alice", "wonder land"}, {"bob", "builder"}}) {
            assertThat(PasswdCommand.run(new String[] {file.toString(), user[0]}, new ByteArrayInputStream(
                    (user[1] + "\n").getBytes(StandardCharsets.UTF_8)), null,
                    new PrintStream(new ByteArrayOutputStream()), System.err)).isZero();
        }
        PasswordFile users = PasswordFile.load(file, false);
        Authenticator counting = (user, password) -> {
            if ("alice".equals(user)) {
                checked.incrementAndGet();
            }
            return users.accepts(user, password);
        };
        broker = EmbeddedBroker.start(BrokerFixture.config()
                .withPeerLimits(PeerLimits.DEFAULTS.withLoginFailureDelay(100, 400)), counting);
        ExecutorService attackers = Executors.newFixedThreadPool(CONNECTIONS);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ATTACK_MILLIS);
        AtomicInteger tries = new AtomicInteger();
        List<Future<?>> attack = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            attack.add(attackers.submit(() -> {
                while (System.nanoTime() < end) {
                    assertThat(login("127.0.0.9", "alice", "guess " + tries.incrementAndGet()))
                            .isInstanceOf(ErrorFrame.class);
                }
                return null;
            }));
        }
        try {
            assertThat(login("127.0.0.9", "bob", "builder")).as("a colleague behind the same address")
                    .isInstanceOf(Welcome.class);
            for (Future<?> f : attack) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            attackers.shutdownNow();
        }
        // 100, 200, then 400 ms per failure (each after an 80 ms check): a handful of delays in two seconds, and the
        // two login threads may each be in a check when a delay runs out; without the second look at the block on
        // the login thread, every connection waiting at that moment was checked (40 a time)
        assertThat(checked.get()).as("guesses checked out of " + tries.get() + " tried").isBetween(1, 20);
        assertThat(tries.get()).as("the attack ran").isGreaterThan(CONNECTIONS);
    }

    private Frame login(String from, String user, String password) throws IOException {
        try (TestClient client = TestClient.connectFrom(broker, from)) {
            client.send(new Hello(Protocol.VERSION, null, user, password, 0, Map.of()));
            return client.next();
        }
    }
}
