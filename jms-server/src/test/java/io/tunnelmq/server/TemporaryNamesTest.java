package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Browse;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.CreateTemporary;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.security.PasswordFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongFunction;

import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Temporary destinations share the broker's name space with queues and topics, so their names are kept apart: a
 * user allowed temporary destinations only cannot make one named like a queue or topic (it would be that queue:
 * read, written and deleted with no permission on it), nor use a queue or topic named like a temporary one.
 */
@Timeout(30)
class TemporaryNamesTest {
    private static final WireDestination PRIVATE = WireDestination.queue("alice.private");

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private TestClient alice;
    private TestClient bob;

    @BeforeEach
    void start() throws Exception {
        Path permissions = Files.writeString(dir.resolve("permissions.properties"), String.join("\n",
                "role.owners = alice",
                "role.others = bob",
                "queue.>.send,consume,browse,create = owners",
                "topic.>.send,consume,create = owners",
                "temporary.create,send,browse = others",
                ""));
        broker = EmbeddedBroker.start(BrokerFixture.config().withPermissionsFile(permissions),
                new PasswordFile(Map.of("alice", "a", "bob", "b"), false));
        alice = login("alice", "a");
        bob = login("bob", "b");
    }

    private TestClient login(String user, String password) throws Exception {
        TestClient client = TestClient.connect(broker);
        client.send(new Hello(Protocol.VERSION, null, user, password, 0, Map.of()));
        client.expect(Welcome.class);
        return client;
    }

    @AfterEach
    void stop() throws Exception {
        alice.close();
        bob.close();
        broker.close();
    }

    private ErrorFrame refused(TestClient client, LongFunction<Frame> request) throws Exception {
        long id = client.nextRequestId();
        return client.refused(request.apply(id), id);
    }

    @Test
    void aTemporaryDestinationNamedLikeAQueueOrTopicIsRefused() throws Exception {
        int s = alice.openSession(false);
        alice.sendMessage(s, text(PRIVATE, "secret"));
        WireDestination asTemporary = new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "alice.private");
        int b = bob.openSession(false);

        for (ErrorFrame e : new ErrorFrame[] {
                refused(bob, id -> new CreateTemporary(id, asTemporary)),
                refused(bob, id -> new CreateTemporary(id,
                        new WireDestination(WireDestination.Kind.TEMPORARY_TOPIC, "prices.eur"))),
                refused(bob, id -> new Send(b, id, text(asTemporary, "planted"))),
                refused(bob, id -> new Browse(b, id, asTemporary, null, 0, 10)),
                refused(bob, id -> new CreateConsumer(b, id, 1, asTemporary, null, false, null, false, false, 10))}) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DESTINATION);
            assertThat(e.message()).contains("a temporary destination's name begins with 'tmp.'");
        }
        assertThat(broker.queueStats("alice.private").depth()).as("alice's queue untouched").isEqualTo(1);
    }

    @Test
    void aQueueOrTopicNamedLikeATemporaryDestinationIsRefused() throws Exception {
        WireDestination replies = new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.queue.bob.1");
        long create = bob.nextRequestId();
        bob.request(new CreateTemporary(create, replies), create);
        int b = bob.openSession(false);
        bob.sendMessage(b, text(replies, "reply"));

        int s = alice.openSession(false);
        WireDestination asQueue = WireDestination.queue("tmp.queue.bob.1");
        for (ErrorFrame e : new ErrorFrame[] {
                refused(alice, id -> new CreateConsumer(s, id, 1, asQueue, null, false, null, false, false, 10)),
                refused(alice, id -> new Browse(s, id, asQueue, null, 0, 10)),
                refused(alice, id -> new Send(s, id, text(WireDestination.topic("tmp.topic.x"), "m")))}) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DESTINATION);
            assertThat(e.message()).contains("names beginning with 'tmp.' are reserved for temporary destinations");
        }
        assertThat(broker.queueStats("tmp.queue.bob.1").depth()).as("bob's reply stays his").isEqualTo(1);
    }
}
