package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.CloseSession;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.net.Authenticator;
import io.tunnelmq.server.store.RecordLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.tunnelmq.server.Messages.id;
import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer that reconnects names the messages its application was handed on the lost connection
 * ({@code CreateConsumer.seenMessageIds}): each one the broker still holds, and did not count as delivered, comes again
 * with its delivery count raised (JMSRedelivered) — also after a broker crash lost the Settle TAKEN.
 */
@Timeout(60)
class SeenMessageIdsTest {
    private static final WireDestination Q = WireDestination.queue("orders");

    @TempDir
    Path dir;

    private EmbeddedBroker broker;
    private TestClient client;
    private Path data;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private void start(BrokerConfig config) throws IOException {
        broker = EmbeddedBroker.start(config, Authenticator.ALLOW_ALL, RecordLogs.production());
        client = TestClient.open(broker);
    }

    private void consume(int channel, int consumerId, WireDestination from, String subscription, List<String> seen)
            throws IOException {
        long id = client.nextRequestId();
        client.request(new CreateConsumer(channel, id, consumerId, from, null, false, subscription,
                subscription != null, false, 10, 0, seen), id);
    }

    private List<String> received(int channel, int consumerId, int count) throws IOException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Deliver d = client.awaitDelivery(channel, consumerId);
            got.add(id(d) + "@" + d.deliveryCount());
        }
        return got;
    }

    @Test
    void anAvailableMessageNamedAsSeenComesRedeliveredAndOthersDoNot() throws Exception {
        start(BrokerFixture.config());
        int s = client.openSession(false);
        client.sendMessage(s, text(Q, "m1"));
        client.sendMessage(s, text(Q, "m2"));

        consume(s, 1, Q, null, List.of("m2", "not-held"));

        assertThat(received(s, 1, 2)).containsExactly("m1@1", "m2@2");
    }

    @Test
    void aDurableSubscribersSeenMessageIsCountedOnItsSubscriptionQueue() throws Exception {
        start(BrokerFixture.config());
        WireDestination news = WireDestination.topic("news");
        client.close();
        client = TestClient.connect(broker);
        client.hello("app", 0, Map.of()); // an unshared durable subscription needs a client ID
        int s = client.openSession(false);
        consume(s, 1, news, "feed", List.of());
        client.sendMessage(s, text(news, "n1"));
        client.awaitDelivery(s, 1); // handed to the application; its TAKEN never reached the broker
        long close = client.nextRequestId();
        client.request(new CloseSession(s, close), close); // its locks go back: released, nobody said TAKEN

        int again = client.openSession(false);
        consume(again, 2, news, "feed", List.of("n1"));

        assertThat(received(again, 2, 1)).containsExactly("n1@2");
    }

    @Test
    void moreIdsThanTheLimitAreRefusedClearly() throws Exception {
        start(BrokerFixture.config());
        int s = client.openSession(false);
        List<String> tooMany = IntStream.rangeClosed(0, Protocol.MAX_SEEN_MESSAGE_IDS).mapToObj(i -> "ID:" + i)
                .toList();
        long id = client.nextRequestId();
        ErrorFrame refused = client.refused(new CreateConsumer(s, id, 1, Q, null, false, null, false, false, 10, 0,
                tooMany), id);
        assertThat(refused.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(refused.message()).contains("at most " + Protocol.MAX_SEEN_MESSAGE_IDS);
        consume(s, 1, Q, null, tooMany.subList(0, Protocol.MAX_SEEN_MESSAGE_IDS)); // the limit itself is fine
    }

    @Test
    void aMessageSeenBeforeABrokerCrashThatLostItsTakenComesBackRedelivered() throws Exception {
        data = dir.resolve("data");
        start(BrokerFixture.config().withJournal(data));
        int s = client.openSession(false);
        client.sendMessage(s, persistent("p1"));
        client.sendMessage(s, persistent("p2"));
        consume(s, 1, Q, null, List.of());
        received(s, 1, 2); // the application saw p1; no TAKEN reached the broker before it died

        crashAndRestart();
        s = client.openSession(false);
        consume(s, 1, Q, null, List.of("p1"));

        assertThat(received(s, 1, 2)).containsExactly("p1@2", "p2@1");
    }

    private static WireMessage persistent(String id) {
        return new WireMessage(Q, id, 0, null, null, null, true, 4, 0, 0, Map.of(), BodyType.TEXT, id.getBytes());
    }

    /** As after a kill -9: the new broker starts on a copy of the journal taken while the old one still ran. */
    private void crashAndRestart() throws IOException {
        Path image = dir.resolve("crash");
        Files.createDirectories(image);
        try (var files = Files.list(data)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, image.resolve(f.getFileName()));
            }
        }
        client.abort();
        broker.close();
        data = image;
        start(BrokerFixture.config().withJournal(data));
    }
}
