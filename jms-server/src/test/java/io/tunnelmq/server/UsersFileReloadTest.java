package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.server.security.PasswdCommand;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standalone broker reads its users file again when passwd changes it: no restart to change a password, and the
 * old password's web console session ends (its page polls without asking the password again).
 */
@Timeout(60)
class UsersFileReloadTest {
    @TempDir
    Path dir;
    /** Each probe from an address of its own, so that the login back-off of one does not hold up the next. */
    private final AtomicInteger sources = new AtomicInteger(20);

    @Test
    void aPasswordChangedWithPasswdAppliesWithoutARestartAndTheOldOneStopsWorkingInTheConsoleToo() throws Exception {
        Path users = dir.resolve("users.properties");
        passwd(users, "alice", "old password");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CountDownLatch stop = new CountDownLatch(1);
        int httpPort = BrokerFixture.freePort();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Broker.run(new String[]{"--port", "0",
                "--http-port", Integer.toString(httpPort), "--data", dir.resolve("data").toString(), "--users", users.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()), stop));
        try {
            BrokerFixture.eventually("listening", () -> out.toString(StandardCharsets.UTF_8).contains("Web console at")
                    || exit.isDone());
            Matcher m = Pattern.compile("listening on tmq://127\\.0\\.0\\.1:(\\d+)")
                    .matcher(out.toString(StandardCharsets.UTF_8));
            assertThat(m.find()).as(out.toString(StandardCharsets.UTF_8)).isTrue();
            int port = Integer.parseInt(m.group(1));
            assertThat(login(port, "alice", "old password")).as("and remembered").isInstanceOf(Welcome.class);
            ConsoleHttp oldSession = new ConsoleHttp(httpPort);
            assertThat(oldSession.login("alice", "old password").statusCode()).isEqualTo(200);
            assertThat(oldSession.get("/console/api/queues").statusCode()).isEqualTo(200);

            passwd(users, "alice", "new password");
            passwd(users, "bob", "builder");
            BrokerFixture.eventually("the new password works", () -> login(port, "alice", "new password")
                    instanceof Welcome);
            assertThat(login(port, "bob", "builder")).isInstanceOf(Welcome.class);
            assertThat(login(port, "alice", "old password")).as("remembered before, refused now")
                    .isInstanceOfSatisfying(ErrorFrame.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
            assertThat(oldSession.get("/console/api/queues").statusCode()).as("the old password's console session")
                    .isEqualTo(401);
            ConsoleHttp bob = new ConsoleHttp(httpPort);
            assertThat(bob.login("bob", "builder").statusCode()).as("a user added meanwhile").isEqualTo(200);
            assertThat(bob.get("/console/api/queues").statusCode()).isEqualTo(200);
        } finally {
            stop.countDown();
        }
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    }

    private Frame login(int port, String user, String password) {
        try (TestClient client = TestClient.connectFrom("127.0.0.1", port, "127.0.0." + sources.getAndIncrement())) {
            client.send(new Hello(Protocol.VERSION, null, user, password, 0, Map.of()));
            return client.next();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void passwd(Path users, String user, String password) {
        int code = PasswdCommand.run(new String[]{users.toString(), user},
                new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8)), null,
                new PrintStream(new ByteArrayOutputStream()), System.err);
        assertThat(code).isZero();
    }
}
