package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.net.Authenticator;
import io.tunnelmq.server.net.ListenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded broker's life cycle and test hooks. */
@Timeout(30)
class EmbeddedBrokerTest {

    private static boolean brokerThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().startsWith("tmq-broker-"));
    }

    @Test
    void startsOnAFreePortAndCloseEndsEveryThreadItStarted() throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        assertThat(broker.port()).isPositive();
        assertThat(broker.host()).isEqualTo("127.0.0.1");
        assertThat(broker.url()).isEqualTo("tmq://127.0.0.1:" + broker.port());
        assertThat(broker.version()).isNotBlank();
        try (TestClient client = TestClient.open(broker)) {
            assertThat(client.welcome().brokerVersion()).isEqualTo(broker.version());
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("tmq-broker-"))
                    .allMatch(Thread::isDaemon);

            broker.close();

            ErrorFrame goodbye = client.await(ErrorFrame.class, e -> true);
            assertThat(goodbye.code()).isEqualTo(ErrorCode.SHUTTING_DOWN);
            assertThat(client.awaitClosed(TestClient.WAIT)).isTrue();
        }
        broker.close();
        eventually("broker threads ended", () -> !brokerThreadsAlive());
    }

    @Test
    void aTakenPortFailsTheStartClearly() {
        try (EmbeddedBroker first = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0))) {
            assertThatThrownBy(() -> EmbeddedBroker.start(BrokerConfig.defaults().withPort(first.port())))
                    .isInstanceOfSatisfying(ListenException.class, e -> assertThat(e.addressInUse()).isTrue())
                    .hasMessage("cannot listen on 127.0.0.1:" + first.port() + ": address already in use");
        }
    }

    @Test
    void theUsersAnAuthenticatorCannotTakeAreOneOfTheBrokersProblems() {
        AtomicReference<String> problem = new AtomicReference<>("users.properties line 4: no password hash");
        Authenticator users = new Authenticator() {
            @Override
            public boolean accepts(String user, String password) {
                return true;
            }

            @Override
            public String problem() {
                return problem.get();
            }
        };
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0), users)) {
            assertThat(broker.management().problems().now()).containsExactly("users.properties line 4: no password"
                    + " hash; the broker keeps the users it had until the file is fixed");
            problem.set(null);
            assertThat(broker.management().problems().now()).isEmpty();
        }
    }

    @Test
    void aPermissionsFileWithoutAnAuthenticatorIsRefused(@TempDir Path dir) throws Exception {
        Path permissions = Files.writeString(dir.resolve("permissions.properties"), "role.r = alice\nqueue.q.send = r\n");

        // every client would be whoever its Hello claims: as the command line, the embedded broker does not start
        assertThatThrownBy(() -> EmbeddedBroker.start(BrokerConfig.defaults().withPort(0)
                .withPermissionsFile(permissions))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs an authenticator that checks who logs in");
        assertThat(brokerThreadsAlive()).isFalse();
    }

    @Test
    void queueStatsOfAnUnknownQueueAreZeroAndDoNotCreateIt() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
             TestClient client = TestClient.open(broker)) {
            assertThat(broker.queueDepth("nothing")).isZero();
            int s = client.openSession(false);
            client.sendMessage(s, Messages.text(WireDestination.queue("q"), "m"));
            assertThat(broker.queueDepth("q")).isEqualTo(1);
            assertThat(broker.queueStats("q").available()).isEqualTo(1);
        }
    }

    @Test
    void theConfigRefusesNonsense() {
        BrokerConfig defaults = BrokerConfig.defaults();
        assertThat(defaults.dataDir()).isEqualTo(Path.of("data"));
        assertThatThrownBy(() -> defaults.withPort(65536)).hasMessageContaining("out of range 0..65535");
        assertThatThrownBy(() -> defaults.withLockDurationMillis(0)).hasMessageContaining("lockDuration must be > 0");
        assertThatThrownBy(() -> defaults.withMaxFrameSize(10)).hasMessageContaining("at least 4096");
        assertThatThrownBy(() -> defaults.withHost(" ")).hasMessageContaining("host");
        assertThatThrownBy(() -> defaults.withQueueOverride("q", -1, 0)).hasMessageContaining(">= 0");
    }
}
