package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.Browse;
import io.tunnelmq.protocol.frame.Browsed;
import io.tunnelmq.protocol.frame.CloseSession;
import io.tunnelmq.protocol.frame.Credit;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.Messages.id;
import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Settle TAKEN, Credit SET, the settle error that names every failed token, and browsing by cursor. */
@Timeout(30)
class SeenAndCreditFramesTest {
    private static final WireDestination JOBS = WireDestination.queue("jobs");

    private EmbeddedBroker broker;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerFixture.config());
    }

    @AfterEach
    void stop() throws Exception {
        for (TestClient client : clients) {
            client.close();
        }
        broker.close();
    }

    private TestClient client() throws Exception {
        TestClient client = TestClient.open(broker);
        clients.add(client);
        return client;
    }

    /** Closes the session on channel {@code s} and has another client take the message: its count. */
    private int countAfterClose(TestClient client, int s) throws Exception {
        long id = client.nextRequestId();
        client.request(new CloseSession(s, id), id);
        TestClient other = client();
        int o = other.openSession(false);
        other.createConsumer(o, 1, JOBS, 1);
        return other.awaitDelivery(o, 1).deliveryCount();
    }

    @Test
    void takenMakesAClosedSessionAbandonTheMessage() throws Exception {
        TestClient client = client();
        int s = client.openSession(false);
        client.sendMessage(s, text(JOBS, "job"));
        client.createConsumer(s, 1, JOBS, 1);
        Deliver d = client.awaitDelivery(s, 1);

        client.settleAndForget(s, SettleOutcome.TAKEN, d.lockToken());

        assertThat(countAfterClose(client, s)).isEqualTo(2);
    }

    @Test
    void withoutTakenAClosedSessionReleasesTheMessage() throws Exception {
        TestClient client = client();
        int s = client.openSession(false);
        client.sendMessage(s, text(JOBS, "job"));
        client.createConsumer(s, 1, JOBS, 1);
        client.awaitDelivery(s, 1);

        assertThat(countAfterClose(client, s)).isEqualTo(1);
    }

    @Test
    void takenIgnoresUnknownTokensAndIsAnsweredOnlyWhenItHasARequestId() throws Exception {
        TestClient client = client();
        int s = client.openSession(false);
        client.send(new Settle(s, 0, SettleOutcome.TAKEN, new long[]{777, 778}, null));
        Ok ok = client.settle(s, SettleOutcome.TAKEN, 779);
        assertThat(ok.requestId()).isPositive();
        assertThat(client.stash()).as("no answer to the fire-and-forget TAKEN, no error").isEmpty();
    }

    @Test
    void takenIsNeverHeldByATransaction() throws Exception {
        TestClient client = client();
        int s = client.openSession(true);
        client.sendMessage(client.openSession(false), text(JOBS, "job"));
        client.createConsumer(s, 1, JOBS, 1);
        Deliver d = client.awaitDelivery(s, 1);

        client.settle(s, SettleOutcome.TAKEN, d.lockToken());

        assertThat(broker.queueStats("jobs").locked()).as("TAKEN keeps the lock").isEqualTo(1);
        assertThat(countAfterClose(client, s)).as("the rolled-back message was seen").isEqualTo(2);
    }

    @Test
    void creditSetReplacesTheCreditAndSetZeroStopsDeliveries() throws Exception {
        TestClient client = client();
        int s = client.openSession(false);
        client.createConsumer(s, 1, JOBS, 10);
        client.send(new Credit(s, 1, 0, 0, Credit.SET));
        client.sendMessage(s, text(JOBS, "m1"));
        client.sendMessage(s, text(JOBS, "m2"));
        assertThat(broker.queueStats("jobs").available()).as("stopped: nothing delivered").isEqualTo(2);

        client.send(new Credit(s, 1, 1, 0, Credit.SET));
        assertThat(id(client.awaitDelivery(s, 1))).isEqualTo("m1");
        eventually("one delivered", () -> broker.queueStats("jobs").locked() == 1);
        assertThat(broker.queueStats("jobs").available()).as("exactly one of credit").isEqualTo(1);

        client.send(new Credit(s, 1, 0, 0, Credit.WAITING));
        client.send(new Credit(s, 1, 1, 0));
        assertThat(id(client.awaitDelivery(s, 1))).isEqualTo("m2");
    }

    @Test
    void aSettleThatFailsForSeveralTokensNamesThemAll() throws Exception {
        TestClient client = client();
        int s = client.openSession(false);
        client.sendMessage(s, text(JOBS, "m1"));
        client.createConsumer(s, 1, JOBS, 1);
        Deliver d = client.awaitDelivery(s, 1);

        long id = client.nextRequestId();
        ErrorFrame error = client.refused(new Settle(s, id, SettleOutcome.COMPLETE,
                new long[]{111, d.lockToken(), 222, 333}, null), id);

        assertThat(error.code()).isEqualTo(ErrorCode.UNKNOWN_LOCK_TOKEN);
        assertThat(error.lockTokens()).containsExactly(111, 222, 333);
        assertThat(error.message()).contains("3 of 4").contains("111, 222, 333").contains("not held");
        eventually("the valid token was still completed", () -> broker.queueDepth("jobs") == 0);
    }

    @Test
    void browsePagesContinueFromTheCursorTheBrokerReturned() throws Exception {
        TestClient client = client();
        int s = client.openSession(false);
        for (int i = 0; i < 25; i++) {
            client.sendMessage(s, text(JOBS, "m" + i));
        }
        List<String> seen = new ArrayList<>();
        long cursor = 0;
        boolean last = false;
        while (!last) {
            long id = client.nextRequestId();
            // after the first page, an offset that is wrong on purpose: the cursor wins
            client.send(new Browse(s, id, JOBS, null, cursor == 0 ? 0 : 999, 10, cursor));
            Browsed page = client.await(Browsed.class, b -> b.requestId() == id);
            page.messages().stream().map(WireMessage::messageId).forEach(seen::add);
            if (seen.size() == 10) {
                client.createConsumer(s, 1, JOBS, 3); // m0..m2 are taken while the browse walks
            }
            last = page.last();
            cursor = page.cursor();
            assertThat(cursor != 0 || last).isTrue();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            expected.add("m" + i);
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }
}
