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

/** The standalone broker reads its users file again when passwd changes it: no restart to change a password. */
@Timeout(60)
class UsersFileReloadTest {
    @TempDir
    Path dir;
    /** Each probe from an address of its own, so that the login back-off of one does not hold up the next. */
    private final AtomicInteger sources = new AtomicInteger(20);

    @Test
    void aPasswordChangedWithPasswdAppliesWithoutARestartAndTheOldOneStopsWorking() throws Exception {
        Path users = dir.resolve("users.properties");
        passwd(users, "alice", "old password");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CountDownLatch stop = new CountDownLatch(1);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Broker.run(new String[]{"--port", "0",
                "--http-port", "0", "--data", dir.resolve("data").toString(), "--users", users.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()), stop));
        try {
            BrokerFixture.eventually("listening", () -> out.toString(StandardCharsets.UTF_8).contains("\n")
                    || exit.isDone());
            Matcher m = Pattern.compile("listening on tmq://127\\.0\\.0\\.1:(\\d+)")
                    .matcher(out.toString(StandardCharsets.UTF_8));
            assertThat(m.find()).as(out.toString(StandardCharsets.UTF_8)).isTrue();
            int port = Integer.parseInt(m.group(1));
            assertThat(login(port, "alice", "old password")).as("and remembered").isInstanceOf(Welcome.class);

            passwd(users, "alice", "new password");
            passwd(users, "bob", "builder");
            BrokerFixture.eventually("the new password works", () -> login(port, "alice", "new password")
                    instanceof Welcome);
            assertThat(login(port, "bob", "builder")).isInstanceOf(Welcome.class);
            assertThat(login(port, "alice", "old password")).as("remembered before, refused now")
                    .isInstanceOfSatisfying(ErrorFrame.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
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
