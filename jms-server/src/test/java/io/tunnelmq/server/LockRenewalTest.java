package io.tunnelmq.server;

import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.LocksRenewed;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** RENEW over the wire: answered by LocksRenewed with exact times; the broker's clock in Welcome. */
@Timeout(30)
class LockRenewalTest {
    private static final WireDestination Q = WireDestination.queue("renew");

    private EmbeddedBroker broker;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerFixture.config().withLockDurationMillis(5_000));
    }

    @AfterEach
    void stop() throws Exception {
        for (TestClient client : clients) {
            client.close();
        }
        broker.close();
    }

    private TestClient client(Map<String, Object> options) throws Exception {
        TestClient client = TestClient.connect(broker);
        clients.add(client);
        client.hello(null, 0, options);
        return client;
    }

    @Test
    void welcomeCarriesTheBrokersClock() throws Exception {
        long before = System.currentTimeMillis();
        Welcome welcome = client(Map.of()).welcome();
        assertThat(welcome.brokerTimeMillis()).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void renewAnswersTheNewExpiryPerTokenInOrderAndZeroForLocksNotHeld() throws Exception {
        TestClient c = client(Map.of("lockDuration", 2_000L));
        int ch = c.openSession(false);
        c.sendMessage(ch, text(Q, "m1"));
        c.sendMessage(ch, text(Q, "m2"));
        c.createConsumer(ch, 1, Q, 10);
        Deliver d1 = c.awaitDelivery(ch, 1);
        Deliver d2 = c.awaitDelivery(ch, 1);
        c.settle(ch, SettleOutcome.COMPLETE, d2.lockToken());

        long id = c.nextRequestId();
        long before = System.currentTimeMillis();
        c.send(new Settle(ch, id, SettleOutcome.RENEW, new long[] {d2.lockToken(), d1.lockToken(), 424_242L}, null));
        LocksRenewed answer = c.await(LocksRenewed.class, r -> r.requestId() == id);
        long after = System.currentTimeMillis();

        assertThat(answer.channel()).isEqualTo(ch);
        assertThat(answer.freeBytes()).isPositive();
        assertThat(answer.lockedUntil()).hasSize(3);
        assertThat(answer.lockedUntil()[0]).as("completed: not held").isZero();
        assertThat(answer.lockedUntil()[1]).as("the connection's lock duration from now")
                .isBetween(before + 2_000, after + 2_000);
        assertThat(answer.lockedUntil()[2]).as("unknown").isZero();
        assertThat(answer.lockedUntil()[1]).isGreaterThanOrEqualTo(d1.lockedUntil());
    }

    @Test
    void aFireAndForgetRenewIsNotAnsweredButStillRenews() throws Exception {
        TestClient c = client(Map.of("lockDuration", 300L));
        int ch = c.openSession(false);
        c.sendMessage(ch, text(Q, "m1"));
        c.createConsumer(ch, 1, Q, 10);
        Deliver d = c.awaitDelivery(ch, 1);
        c.send(new Settle(ch, 0, SettleOutcome.RENEW, new long[] {d.lockToken()}, null));
        // an answered request behind it proves the renew was handled, and that nothing answered it
        long id = c.nextRequestId();
        c.send(new Settle(ch, id, SettleOutcome.RENEW, new long[] {d.lockToken()}, null));
        LocksRenewed answer = c.await(LocksRenewed.class, r -> r.requestId() == id);
        assertThat(answer.lockedUntil()[0]).isPositive();
        for (Frame f : c.stash()) {
            assertThat(f).isNotInstanceOf(LocksRenewed.class);
        }
    }
}
