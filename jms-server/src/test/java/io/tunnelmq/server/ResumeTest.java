package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.CreateTemporary;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tunnelmq.server.Messages.id;
import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that reconnects names the connection it replaces (Hello option {@code resume}) and presents the resume key
 * that one presented: the broker ends that one at once, as lost, before it takes the new one's client ID — unless
 * either presented no key, the keys differ, it is another user's, or the broker does not hold it. Its temporary
 * destinations pass to the new connection with their messages.
 */
@Timeout(30)
class ResumeTest {
    private static final WireDestination JOBS = WireDestination.queue("jobs");
    private static final WireDestination NEWS = WireDestination.topic("news");
    private static final WireDestination TEMP = new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE,
            "tmp.queue.app.1");

    private EmbeddedBroker broker;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerFixture.config());
    }

    @AfterEach
    void stop() throws Exception {
        for (TestClient c : clients) {
            c.close();
        }
        broker.close();
    }

    private TestClient connect(String clientId, String user, Map<String, Object> options) throws IOException {
        TestClient client = TestClient.connect(broker);
        clients.add(client);
        client.send(new Hello(Protocol.VERSION, clientId, user, null, 0, options));
        return client;
    }

    private TestClient open(String clientId, String user, Map<String, Object> options) throws IOException {
        TestClient client = connect(clientId, user, options);
        client.expect(Welcome.class);
        return client;
    }

    private static final String KEY = "kR3v9QzXw0bL7yTn2mPa5g";

    private static Map<String, Object> keyed(String key) {
        return Map.of(Hello.OPTION_RESUME_KEY, key);
    }

    private static Map<String, Object> resuming(String connectionId, String key) {
        return Map.of(Hello.OPTION_RESUME, connectionId, Hello.OPTION_RESUME_KEY, key);
    }

    /** The old connection still holds its client ID and still works. */
    private void assertStillOpen(TestClient old, int session) throws IOException {
        assertThat(connect("app", null, Map.of()).expect(ErrorFrame.class).code())
                .as("the old connection still holds the client ID").isEqualTo(ErrorCode.INVALID_CLIENT_ID);
        old.sendMessage(session, text(JOBS, "still-here"));
        assertThat(broker.queueDepth("jobs")).isEqualTo(1);
    }

    @Test
    void resumingEndsTheOldConnectionAsLostAndItsTemporariesPassOverWithTheirMessages() throws Exception {
        TestClient old = TestClient.connect(broker);
        clients.add(old);
        String oldId = old.hello("app", 0, keyed(KEY)).connectionId();
        int s = old.openSession(false);
        long create = old.nextRequestId();
        old.request(new CreateTemporary(create, TEMP), create);
        old.sendMessage(s, text(TEMP, "reply-1"));
        long sub = old.nextRequestId();
        old.request(new CreateConsumer(s, sub, 2, NEWS, null, false, "feed", true, false, 10), sub);
        old.sendMessage(s, text(JOBS, "seen"));
        old.sendMessage(s, text(JOBS, "unseen"));
        old.createConsumer(s, 1, JOBS, 10);
        Deliver seen = old.awaitDelivery(s, 1);
        old.awaitDelivery(s, 1);
        old.settle(s, SettleOutcome.TAKEN, seen.lockToken());

        TestClient fresh = open("app", null, resuming(oldId, KEY));

        ErrorFrame ended = old.await(ErrorFrame.class, e -> e.channel() == 0);
        assertThat(ended.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(ended.message()).contains("replaced");
        assertThat(old.awaitClosed(TestClient.WAIT)).isTrue();

        int t = fresh.openSession(false);
        long again = fresh.nextRequestId();
        fresh.request(new CreateTemporary(again, TEMP), again); // the client re-creates it: it has it already
        fresh.createConsumer(t, 1, TEMP, 10);
        assertThat(id(fresh.awaitDelivery(t, 1))).isEqualTo("reply-1");

        long resubscribe = fresh.nextRequestId();
        fresh.request(new CreateConsumer(t, resubscribe, 2, NEWS, null, false, "feed", true, false, 10), resubscribe);

        fresh.createConsumer(t, 3, JOBS, 10);
        List<String> redelivered = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Deliver d = fresh.awaitDelivery(t, 3);
            redelivered.add(id(d) + "@" + d.deliveryCount());
        }
        assertThat(redelivered).as("seen lock abandoned, unseen one released")
                .containsExactlyInAnyOrder("seen@2", "unseen@1");

        fresh.close(); // the temporary destination passed over is the new connection's: it goes when that one ends
        BrokerFixture.eventually("the temporary queue deleted with its new owner",
                () -> !broker.destinations().temporaries().exists(TEMP));
    }

    @Test
    void aResumeWithAnotherKeyIsIgnored() throws Exception {
        TestClient old = connect("app", null, keyed(KEY));
        String oldId = old.expect(Welcome.class).connectionId();
        int s = old.openSession(false);

        open(null, null, resuming(oldId, "guessed-" + KEY));

        assertStillOpen(old, s);
    }

    @Test
    void aResumeWithoutAKeyIsIgnored() throws Exception {
        TestClient old = connect("app", null, keyed(KEY));
        String oldId = old.expect(Welcome.class).connectionId();
        int s = old.openSession(false);

        open(null, null, Map.of(Hello.OPTION_RESUME, oldId));

        assertStillOpen(old, s);
    }

    @Test
    void aConnectionThatPresentedNoKeyCannotBeEndedByAResume() throws Exception {
        TestClient old = connect("app", null, Map.of());
        String oldId = old.expect(Welcome.class).connectionId();
        int s = old.openSession(false);

        open(null, null, resuming(oldId, KEY));

        assertStillOpen(old, s);
    }

    @Test
    void aResumeNamingAnotherUsersConnectionIsIgnoredEvenWithItsKey() throws Exception {
        TestClient alice = connect("app", "alice", keyed(KEY));
        String aliceId = alice.expect(Welcome.class).connectionId();
        int s = alice.openSession(false);

        TestClient mallory = connect("app", "mallory", resuming(aliceId, KEY));
        assertThat(mallory.expect(ErrorFrame.class).code()).as("alice still holds the client ID")
                .isEqualTo(ErrorCode.INVALID_CLIENT_ID);
        open(null, "mallory", resuming(aliceId, KEY));

        alice.sendMessage(s, text(JOBS, "still-here"));
        assertThat(broker.queueDepth("jobs")).isEqualTo(1);
    }

    @Test
    void aResumeNamingNoLiveConnectionIsIgnored() throws Exception {
        TestClient fresh = open("app", null, resuming("restarted-broker-1", KEY));
        int s = fresh.openSession(false);
        fresh.sendMessage(s, text(JOBS, "m"));
        assertThat(broker.queueDepth("jobs")).isEqualTo(1);
    }

    @Test
    void aResumeThatIsNotAStringIsAProtocolViolation() throws Exception {
        TestClient bad = connect(null, null, Map.of(Hello.OPTION_RESUME, 42));
        ErrorFrame refused = bad.expect(ErrorFrame.class);
        assertThat(refused.code()).isEqualTo(ErrorCode.PROTOCOL_VIOLATION);
        assertThat(refused.message()).contains("resume");
    }

    @Test
    void aResumeKeyThatIsNotAStringOfAtMost128CharactersIsAProtocolViolation() throws Exception {
        String tooLong = "k".repeat(129);
        for (Object bad : List.of(42, "", tooLong)) {
            ErrorFrame refused = connect(null, null, Map.of(Hello.OPTION_RESUME_KEY, bad)).expect(ErrorFrame.class);
            assertThat(refused.code()).isEqualTo(ErrorCode.PROTOCOL_VIOLATION);
            assertThat(refused.message()).contains(Hello.OPTION_RESUME_KEY).doesNotContain(tooLong);
        }
        open(null, null, keyed("k".repeat(128)));
    }
}
