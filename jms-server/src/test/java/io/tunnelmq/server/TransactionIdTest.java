package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.Commit;
import io.tunnelmq.protocol.frame.CommitQuery;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static io.tunnelmq.server.Messages.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A commit with a transaction id is recorded with its effects, so a client that lost the answer can ask (CommitQuery)
 * whether it was applied — also after a kill -9 and restart on the same journal; the broker names its store in
 * Welcome, the same across restarts on one data directory and another for other data.
 */
@Timeout(60)
class TransactionIdTest {
    private static final WireDestination Q = WireDestination.queue("work");
    private static final Map<String, Object> READS_STORE_ID = Map.of(Hello.OPTION_STORE_ID, true);

    @TempDir
    Path dir;

    private final UUID session = UUID.randomUUID();
    private Path data;
    private int crashes;
    private EmbeddedBroker broker;
    private TestClient client;

    private void start(Path dataDir) throws IOException {
        data = dataDir;
        broker = EmbeddedBroker.start(dataDir == null ? BrokerFixture.config()
                : BrokerFixture.config().withJournal(dataDir));
        client = TestClient.connect(broker);
        client.hello(null, 0, READS_STORE_ID);
    }

    /** As after a kill -9: a new broker on a copy of the journal's files taken while the old one still ran. */
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
        start(image);
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
            client = null;
        }
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    private static WireMessage message(String id, boolean persistent) {
        return new WireMessage(Q, id, 0, null, null, null, persistent, 4, 0, 0, Map.of(), BodyType.TEXT,
                new byte[8]);
    }

    private ProducerStamp tx(long sequence) {
        return new ProducerStamp(session, sequence);
    }

    private void commit(int channel, ProducerStamp transactionId) throws IOException {
        long id = client.nextRequestId();
        client.request(new Commit(channel, id, transactionId), id);
    }

    /** The answer to CommitQuery: null for Ok, else the error code. */
    private ErrorCode ask(int channel, ProducerStamp transactionId) throws IOException {
        long id = client.nextRequestId();
        client.send(new CommitQuery(channel, id, transactionId));
        return client.answer(id) instanceof ErrorFrame error ? error.code() : null;
    }

    @Test
    void aCommittedTransactionIdIsKnownAndAnotherIsNot() throws Exception {
        start(null);
        int s = client.openSession(true);
        client.sendMessage(s, message("a", true));
        commit(s, tx(1));

        assertThat(ask(s, tx(1))).as("applied").isNull();
        assertThat(ask(s, tx(2))).as("never applied").isEqualTo(ErrorCode.TRANSACTION_ROLLED_BACK);
        assertThat(ask(s, new ProducerStamp(UUID.randomUUID(), 1))).isEqualTo(ErrorCode.TRANSACTION_ROLLED_BACK);
        assertThat(broker.queueDepth("work")).isEqualTo(1);
    }

    @Test
    void committedTransactionIdsSurviveACrashWhateverTheCommitHeld() throws Exception {
        start(dir.resolve("data"));
        int plain = client.openSession(false);
        client.sendMessage(plain, message("in", true));
        int s = client.openSession(true);
        client.sendMessage(s, message("persistent", true));
        commit(s, tx(1));
        client.sendMessage(s, message("non-persistent", false));
        commit(s, tx(2));
        client.createConsumer(s, 1, Q, 10);
        Deliver in = client.awaitDelivery(s, 1);
        assertThat(id(in)).isEqualTo("in");
        client.settle(s, SettleOutcome.COMPLETE, in.lockToken());
        commit(s, tx(3)); // only a receive

        crashAndRestart();

        int again = client.openSession(true);
        assertThat(ask(again, tx(1))).as("persistent send").isNull();
        assertThat(ask(again, tx(2))).as("non-persistent send").isNull();
        assertThat(ask(again, tx(3))).as("receive only").isNull();
        assertThat(ask(again, tx(4))).isEqualTo(ErrorCode.TRANSACTION_ROLLED_BACK);
        assertThat(broker.queueDepth("work")).as("'in' was consumed, 'persistent' stored").isEqualTo(1);
    }

    @Test
    void theStoreIdIsStableOnOneDataDirectoryAndDiffersBetweenStores() throws Exception {
        start(dir.resolve("a"));
        String first = client.welcome().storeId();
        assertThat(first).isNotBlank();
        stop();
        start(dir.resolve("a"));
        assertThat(client.welcome().storeId()).as("after a restart").isEqualTo(first);
        stop();
        start(dir.resolve("b"));
        assertThat(client.welcome().storeId()).as("another data directory").isNotEqualTo(first);
        stop();
        start(null);
        String memory = client.welcome().storeId();
        stop();
        start(null);
        assertThat(memory).isNotBlank().isNotEqualTo(first);
        assertThat(client.welcome().storeId()).as("in-memory brokers each start empty").isNotEqualTo(memory);
    }

    @Test
    void aClientThatDoesNotReadTheStoreIdGetsAWelcomeWithoutIt() throws Exception {
        start(null);
        TestClient old = TestClient.open(broker);
        try {
            assertThat(old.welcome().storeId()).isNull();
        } finally {
            old.close();
        }
    }
}
