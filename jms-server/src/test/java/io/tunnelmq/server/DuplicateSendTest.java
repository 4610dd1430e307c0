package io.tunnelmq.server;

import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.net.Authenticator;
import io.tunnelmq.server.store.RecordLog;
import io.tunnelmq.server.store.RecordLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.Messages.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A persistent send whose confirmation was lost is resent with the same producer stamp: the broker answers Ok and
 * neither stores nor delivers it again — across a restart on the same journal and after the first copy was consumed
 * and the journal compacted. Sends without a stamp (older clients) are never taken for resends.
 */
@Timeout(60)
class DuplicateSendTest {
    private static final WireDestination Q = WireDestination.queue("orders");
    private static final UUID PRODUCER = UUID.randomUUID();

    @TempDir
    Path dir;

    private RecordLog.Opener journal = RecordLogs.production();
    private Path data;
    private int crashes;
    private EmbeddedBroker broker;
    private TestClient client;

    private void start() throws IOException {
        data = data == null ? dir.resolve("data") : data;
        broker = EmbeddedBroker.start(BrokerFixture.config().withJournal(data), Authenticator.ALLOW_ALL, journal);
        client = TestClient.open(broker);
    }

    /**
     * As after a kill -9: the new broker starts on a copy of the journal's files taken while the old one still ran
     * (nothing flushed or closed for it), then the old one goes away.
     */
    private void crashAndRestart() throws IOException {
        Path image = dir.resolve("crash-" + ++crashes);
        Files.createDirectories(image);
        try (var files = Files.list(data)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, image.resolve(f.getFileName()));
            }
        }
        client.abort();
        broker.close();
        data = image;
        start();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static WireMessage persistent(String id) {
        return persistent(id, 16);
    }

    private static WireMessage persistent(String id, int bodyBytes) {
        return new WireMessage(Q, id, 0, null, null, null, true, 4, 0, 0, Map.of(), BodyType.BYTES,
                new byte[bodyBytes]);
    }

    private void send(int channel, WireMessage message, ProducerStamp stamp) throws IOException {
        long id = client.nextRequestId();
        client.request(new Send(channel, id, message, stamp), id);
    }

    /** Consumes everything on the queue with a new consumer, returns the ids in order, completing each. */
    private java.util.List<String> drain(int channel, int consumerId, int expected) throws Exception {
        client.createConsumer(channel, consumerId, Q, 100);
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < expected; i++) {
            Deliver d = client.awaitDelivery(channel, consumerId);
            ids.add(id(d));
            client.settle(channel, SettleOutcome.COMPLETE, d.lockToken());
        }
        eventually("queue empty", () -> broker.queueDepth("orders") == 0);
        return ids;
    }

    @Test
    void theSameStampTwiceIsStoredAndDeliveredOnceAndBothAreAnsweredOk() throws Exception {
        start();
        int s = client.openSession(false);
        send(s, persistent("a"), new ProducerStamp(PRODUCER, 1));
        send(s, persistent("a"), new ProducerStamp(PRODUCER, 1));
        send(s, persistent("b"), new ProducerStamp(PRODUCER, 2));
        send(s, persistent("a"), new ProducerStamp(PRODUCER, 1));
        assertThat(broker.queueDepth("orders")).isEqualTo(2);
        assertThat(drain(s, 1, 2)).containsExactly("a", "b");
    }

    @Test
    void aResendAfterARestartOnTheSameJournalIsStillRecognised() throws Exception {
        start();
        int s = client.openSession(false);
        send(s, persistent("a"), new ProducerStamp(PRODUCER, 1));
        send(s, persistent("b"), new ProducerStamp(PRODUCER, 2));
        crashAndRestart();
        s = client.openSession(false);
        send(s, persistent("b"), new ProducerStamp(PRODUCER, 2));
        send(s, persistent("c"), new ProducerStamp(PRODUCER, 3));
        assertThat(broker.queueDepth("orders")).isEqualTo(3);
        assertThat(drain(s, 1, 3)).containsExactly("a", "b", "c");
    }

    @Test
    void aResendIsRecognisedAfterItsMessageWasConsumedAndTheJournalCompacted() throws Exception {
        journal = RecordLogs.journal(o -> o.segmentBytes(4096).compactionThreshold(0.5).compactionMinBytes(1024).compactionQuietMillis(0)
                .preallocate(false));
        start();
        int s = client.openSession(false);
        send(s, persistent("a"), new ProducerStamp(PRODUCER, 1));
        assertThat(drain(s, 1, 1)).containsExactly("a");
        Path firstSegment = data.resolve("journal-1.tmj");
        // other traffic fills and empties many segments; the first, holding the producer's record, is compacted into
        // a file of the same name that holds that record alone
        int filler = 0;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((filler < 10 || Files.size(firstSegment) > 1024) && System.nanoTime() < deadline) {
            client.sendMessage(s, persistent("f" + filler++, 1024));
            client.settle(s, SettleOutcome.COMPLETE, client.awaitDelivery(s, 1).lockToken());
            client.send(new io.tunnelmq.protocol.frame.Credit(s, 1, 1));
        }
        assertThat(Files.size(firstSegment)).as("compacted after %s filler messages", filler).isLessThan(1024);
        crashAndRestart();
        s = client.openSession(false);
        send(s, persistent("a"), new ProducerStamp(PRODUCER, 1));
        assertThat(broker.queueDepth("orders")).isZero();
        send(s, persistent("b"), new ProducerStamp(PRODUCER, 2));
        assertThat(drain(s, 3, 1)).containsExactly("b");
    }

    @Test
    void producersWithTheSameSequenceAreIndependent() throws Exception {
        start();
        int s = client.openSession(false);
        send(s, persistent("a"), new ProducerStamp(PRODUCER, 1));
        send(s, persistent("x"), new ProducerStamp(UUID.randomUUID(), 1));
        assertThat(drain(s, 1, 2)).containsExactly("a", "x");
    }

    @Test
    void sendsWithoutAStampAreNeverTakenForResends() throws Exception {
        start();
        int s = client.openSession(false);
        client.sendMessage(s, persistent("a"));
        client.sendMessage(s, persistent("a"));
        assertThat(drain(s, 1, 2)).containsExactly("a", "a");
    }

    @Test
    void aStampOnATransactedSendIsIgnored() throws Exception {
        start();
        int s = client.openSession(true);
        send(s, persistent("a"), new ProducerStamp(PRODUCER, 1));
        send(s, persistent("a"), new ProducerStamp(PRODUCER, 1));
        long id = client.nextRequestId();
        client.request(new io.tunnelmq.protocol.frame.Commit(s, id), id);
        assertThat(broker.queueDepth("orders")).isEqualTo(2);
    }
}
