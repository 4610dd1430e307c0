package io.tunnelmq.server;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.CloseSession;
import io.tunnelmq.protocol.frame.Commit;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.CreateTemporary;
import io.tunnelmq.protocol.frame.Credit;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.Rollback;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import io.tunnelmq.server.net.Authenticator;
import io.tunnelmq.server.store.FakeRecordLog;
import io.tunnelmq.server.store.RecordLogs;
import io.tunnelmq.server.store.StoreOpenException;
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

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.Messages.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the broker writes to its store and when it answers: persistent messages on durable destinations are stored
 * before they are answered or visible, completions and moves are recorded, non-persistent messages and temporary
 * destinations never reach the store, a failing store refuses persistent work clearly while the rest goes on, and a
 * store that cannot open stops the start.
 */
@Timeout(30)
class PersistenceTest {
    private static final WireDestination Q = WireDestination.queue("orders");

    @TempDir
    Path dir;

    private final FakeRecordLog.Disk disk = new FakeRecordLog.Disk();
    private final List<AutoCloseable> open = new ArrayList<>();
    private EmbeddedBroker broker;
    private TestClient client;

    private void start(BrokerConfig config) throws IOException {
        broker = EmbeddedBroker.start(config.withPort(0).withJournal(dir), Authenticator.ALLOW_ALL, disk.opener());
        client = TestClient.open(broker);
        open.add(client);
        open.add(broker);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    static WireMessage persistent(WireDestination to, String id, int priority) {
        return new WireMessage(to, id, 0, null, null, null, true, priority, 0, 0, Map.of("seq", id), BodyType.TEXT,
                ("body of " + id).getBytes());
    }

    static WireMessage persistent(WireDestination to, String id) {
        return persistent(to, id, 4);
    }

    private List<String> written() {
        List<FakeRecordLog.Append> all = disk.log().appends();
        return StoreOps.describe(all, all);
    }

    private List<String> writtenSince(int index) {
        List<FakeRecordLog.Append> all = disk.log().appends();
        return StoreOps.describe(all.subList(index, all.size()), all);
    }

    /** A request whose answer proves the broker handled every frame sent before it. */
    private void barrier() throws IOException {
        client.openSession(false);
    }

    @Test
    void persistentSendsAreStoredAndNonPersistentOrTemporaryOnesAreNot() throws Exception {
        start(BrokerFixture.config());
        int s = client.openSession(false);
        client.sendMessage(s, persistent(Q, "p1"));
        client.sendMessage(s, Messages.text(Q, "n1"));
        WireDestination temp = new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.1");
        long id = client.nextRequestId();
        client.request(new CreateTemporary(id, temp), id);
        client.sendMessage(s, persistent(temp, "t1"));
        assertThat(written()).containsExactly("sync add orders p1");
        assertThat(broker.queueDepth("orders")).isEqualTo(2);
    }

    @Test
    void completionsAreDeletedDurablyWhenAnsweredAndLazilyWhenNot() throws Exception {
        start(BrokerFixture.config());
        int s = client.openSession(false);
        client.sendMessage(s, persistent(Q, "p1"));
        client.sendMessage(s, persistent(Q, "p2"));
        client.createConsumer(s, 1, Q, 10);
        Deliver d1 = client.awaitDelivery(s, 1);
        Deliver d2 = client.awaitDelivery(s, 1);
        client.settle(s, SettleOutcome.COMPLETE, d1.lockToken());
        client.settleAndForget(s, SettleOutcome.COMPLETE, d2.lockToken());
        eventually("lazy delete written", () -> written().size() == 4);
        assertThat(writtenSince(2)).containsExactly("sync del p1", "lazy del p2");
    }

    @Test
    void abandonRecordsTheDeliveryCountAndDeadLetteringIsOneAtomicMove() throws Exception {
        start(BrokerFixture.config().withQueueOverride("orders", 0, 2));
        int s = client.openSession(false);
        client.sendMessage(s, persistent(Q, "p1"));
        client.createConsumer(s, 1, Q, 10);
        client.settle(s, SettleOutcome.ABANDON, client.awaitDelivery(s, 1).lockToken());
        Deliver second = client.awaitDelivery(s, 1);
        assertThat(second.deliveryCount()).isEqualTo(2);
        client.settle(s, SettleOutcome.ABANDON, second.lockToken());
        eventually("moved to the DLQ", () -> broker.queueDepth("DLQ.orders") == 1);
        assertThat(written()).containsExactly("sync add orders p1", "lazy count p1=2", "sync del p1, add DLQ.orders p1");
    }

    @Test
    void takenWritesTheRaisedCountLazilyOnceSoACrashBringsTheMessageBackRedelivered() throws Exception {
        start(BrokerFixture.config());
        int s = client.openSession(false);
        client.sendMessage(s, persistent(Q, "p1"));
        client.sendMessage(s, persistent(Q, "p2"));
        client.createConsumer(s, 1, Q, 10);
        Deliver taken = client.awaitDelivery(s, 1);
        client.awaitDelivery(s, 1); // p2 stays unseen: nothing is written for it
        client.settleAndForget(s, SettleOutcome.TAKEN, taken.lockToken());
        eventually("delivered mark written", () -> written().size() == 3);
        client.settle(s, SettleOutcome.ABANDON, taken.lockToken());
        client.settle(s, SettleOutcome.COMPLETE, client.awaitDelivery(s, 1).lockToken());
        assertThat(written()).as("the mark is lazy; the abandon writes no second count 2")
                .containsExactly("sync add orders p1", "sync add orders p2", "lazy count p1=2", "sync del p1");
    }

    @Test
    void anExpiredMessageMovesToTheExpiryQueueInOneRecord() throws Exception {
        start(BrokerFixture.config().withExpiryQueue("Expired"));
        int s = client.openSession(false);
        WireMessage expired = new WireMessage(Q, "old", 0, null, null, null, true, 4, System.currentTimeMillis() - 1000,
                0, Map.of(), BodyType.TEXT, new byte[1]);
        client.sendMessage(s, expired);
        client.createConsumer(s, 1, Q, 10);
        eventually("moved to the expiry queue", () -> broker.queueDepth("Expired") == 1);
        assertThat(written()).containsExactly("sync add orders old", "sync del old, add Expired old");
    }

    @Test
    void aCommitIsOneRecordAndARollbackWritesNoMessages() throws Exception {
        start(BrokerFixture.config());
        int plain = client.openSession(false);
        client.sendMessage(plain, persistent(Q, "in1"));
        client.sendMessage(plain, persistent(Q, "in2"));
        int tx = client.openSession(true);
        client.createConsumer(tx, 1, Q, 1);
        Deliver in1 = client.awaitDelivery(tx, 1);
        client.settle(tx, SettleOutcome.COMPLETE, in1.lockToken());
        client.sendMessage(tx, persistent(WireDestination.queue("out"), "out1"));
        client.sendMessage(tx, Messages.text(WireDestination.queue("out"), "out2"));
        client.sendMessage(tx, persistent(WireDestination.queue("audit"), "audit1"));
        assertThat(written()).hasSize(2);
        long commit = client.nextRequestId();
        client.request(new Commit(tx, commit), commit);
        assertThat(writtenSince(2)).containsExactly("sync add out out1, add audit audit1, del in1");
        assertThat(broker.queueDepth("out")).isEqualTo(2);

        client.send(new Credit(tx, 1, 1));
        Deliver in2 = client.awaitDelivery(tx, 1);
        client.settle(tx, SettleOutcome.COMPLETE, in2.lockToken());
        client.sendMessage(tx, persistent(WireDestination.queue("out"), "out3"));
        long rollback = client.nextRequestId();
        client.request(new Rollback(tx, rollback), rollback);
        eventually("count written", () -> written().size() == 4);
        assertThat(writtenSince(3)).containsExactly("lazy count in2=2");
        assertThat(broker.queueDepth("out")).isEqualTo(2);
    }

    @Test
    void messagesBecomeVisibleAndAnsweredOnlyWhenDurableAndInTheOrderSent() throws Exception {
        start(BrokerFixture.config());
        int consumer = client.openSession(false);
        client.createConsumer(consumer, 1, Q, 100);
        int s = client.openSession(false);
        disk.log().hold();
        long p1 = send(s, persistent(Q, "p1"));
        long n2 = send(s, Messages.text(Q, "n2"));
        long p3 = send(s, persistent(Q, "p3"));
        long n4 = send(s, Messages.text(Q, "n4"));
        barrier();
        eventually("both persistent sends written", () -> disk.log().heldCount() == 2);
        assertThat(client.stash()).noneMatch(f -> f instanceof Deliver || isAnswerTo(f, p1, n2, p3, n4));
        assertThat(broker.queueDepth("orders")).isZero();
        assertThat(broker.memoryUsed()).as("waiting messages count as memory").isPositive();

        disk.log().releaseOne();
        assertThat(id(client.awaitDelivery(consumer, 1))).isEqualTo("p1");
        assertThat(id(client.awaitDelivery(consumer, 1))).isEqualTo("n2");
        assertThat(client.answer(p1)).isInstanceOf(Ok.class);
        assertThat(client.answer(n2)).isInstanceOf(Ok.class);
        barrier();
        assertThat(client.stash()).noneMatch(f -> f instanceof Deliver || isAnswerTo(f, p3, n4));

        disk.log().releaseAll();
        assertThat(id(client.awaitDelivery(consumer, 1))).isEqualTo("p3");
        assertThat(id(client.awaitDelivery(consumer, 1))).isEqualTo("n4");
        assertThat(client.answer(p3)).isInstanceOf(Ok.class);
        assertThat(client.answer(n4)).isInstanceOf(Ok.class);
    }

    @Test
    void aSessionClosedWhileItsSendIsBeingStoredAnswersTheSendBeforeTheClose() throws Exception {
        start(BrokerFixture.config());
        int s = client.openSession(false);
        disk.log().hold();
        long p1 = send(s, persistent(Q, "p1"));
        eventually("the send written", () -> disk.log().heldCount() == 1);
        long close = client.nextRequestId();
        client.send(new CloseSession(s, close));
        barrier();
        assertThat(client.stash()).as("the close waits for the send's store write")
                .noneMatch(f -> isAnswerTo(f, p1, close));

        disk.log().releaseAll();
        Frame first = client.await(Frame.class, f -> isAnswerTo(f, p1, close));
        assertThat(first).as("the send's answer, not dropped for the closed session, and before the close's")
                .isInstanceOf(Ok.class).extracting(f -> ((Ok) f).requestId()).isEqualTo(p1);
        assertThat(client.answer(close)).isInstanceOf(Ok.class);
        assertThat(broker.queueDepth("orders")).isEqualTo(1);
    }

    @Test
    void aConsumerClosedWhileItsCreationWaitsForEarlierSendsIsNeverAttached() throws Exception {
        start(BrokerFixture.config());
        int s = client.openSession(false);
        disk.log().hold();
        long p1 = send(s, persistent(Q, "p1"));
        eventually("the send written", () -> disk.log().heldCount() == 1);
        long create = client.nextRequestId();
        client.send(new CreateConsumer(s, create, 1, Q, null, false, null, false, false, 10));
        barrier(); // the CreateConsumer was read and waits behind p1
        // what a client does after its CreateConsumer timed out: it cannot tell whether the broker made the consumer
        client.closeConsumer(s, 1);

        disk.log().releaseAll();
        assertThat(client.answer(p1)).isInstanceOf(Ok.class);
        barrier();
        assertThat(client.stash()).as("no delivery to the closed consumer, no answer to its creation")
                .noneMatch(f -> f instanceof Deliver || isAnswerTo(f, create));
        assertThat(broker.queueStats("orders").consumers()).isZero();
        assertThat(broker.queueStats("orders").available()).isEqualTo(1);
    }

    private long send(int channel, WireMessage message) throws IOException {
        long id = client.nextRequestId();
        client.send(new Send(channel, id, message));
        return id;
    }

    private static boolean isAnswerTo(Frame f, long... ids) {
        for (long id : ids) {
            if (f instanceof Ok ok && ok.requestId() == id || f instanceof ErrorFrame e && e.requestId() == id) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aFailingStoreRefusesPersistentSendsAndCommitsClearlyAndTheRestGoesOn() throws Exception {
        start(BrokerFixture.config());
        int s = client.openSession(false);
        disk.log().failWith(new IOException("No space left on device"));
        long p1 = client.nextRequestId();
        ErrorFrame refused = client.refused(new Send(s, p1, persistent(Q, "p1")), p1);
        assertThat(refused.code()).isEqualTo(ErrorCode.STORE_FAILURE);
        assertThat(refused.message()).contains("p1").contains("No space left on device");
        client.sendMessage(s, Messages.text(Q, "n1"));
        assertThat(broker.queueDepth("orders")).isEqualTo(1);

        int tx = client.openSession(true);
        client.sendMessage(tx, persistent(Q, "t1"));
        long commit = client.nextRequestId();
        ErrorFrame rolledBack = client.refused(new Commit(tx, commit), commit);
        assertThat(rolledBack.code()).isEqualTo(ErrorCode.TRANSACTION_ROLLED_BACK);
        assertThat(rolledBack.message()).contains("No space left on device").contains("rolled back");
        assertThat(broker.queueDepth("orders")).isEqualTo(1);

        disk.log().failWith(null);
        client.sendMessage(s, persistent(Q, "p2"));
        client.createConsumer(s, 1, Q, 10);
        assertThat(id(client.awaitDelivery(s, 1))).isEqualTo("n1");
        assertThat(id(client.awaitDelivery(s, 1))).isEqualTo("p2");
    }

    @Test
    void anUnusableDataDirectoryStopsTheStart() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("taken"), "a file");
        assertThatThrownBy(() -> EmbeddedBroker.start(BrokerFixture.config().withJournal(notADirectory.resolve("data")),
                Authenticator.ALLOW_ALL, RecordLogs.production()))
                .isInstanceOf(StoreOpenException.class)
                .hasMessageContaining("cannot open the journal in " + notADirectory.resolve("data"));
    }
}
