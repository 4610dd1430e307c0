package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.server.store.MessageStore;
import io.tunnelmq.server.store.StoreIds;
import io.tunnelmq.server.store.StoreOp;
import io.tunnelmq.server.store.StoreVisitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class DuplicateWindowTest {
    private static final List<StoreOp> MESSAGE = List.of(new StoreOp.RemoveMessage(999)); // stands for a message's ops

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Writes store = new Writes();
    private final UUID p = UUID.randomUUID();

    /** Records every batch; writes complete as the test says. */
    private static final class Writes implements MessageStore {
        final List<List<StoreOp>> durable = new ArrayList<>();
        final List<CompletableFuture<Void>> pending = new ArrayList<>();
        final List<List<StoreOp>> lazy = new ArrayList<>();
        boolean hold;

        @Override
        public CompletableFuture<Void> write(List<StoreOp> ops) {
            durable.add(ops);
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.add(f);
            if (!hold) {
                f.complete(null);
            }
            return f;
        }

        @Override
        public CompletableFuture<Void> writeLazily(List<StoreOp> ops) {
            lazy.add(ops);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void recover(StoreVisitor visitor) {
        }

        @Override
        public String identity() {
            return "test";
        }

        @Override
        public boolean persistent() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private DuplicateWindow window(long windowMillis, int maxProducers) {
        return new DuplicateWindow(new DuplicateWindow.Settings(windowMillis, maxProducers), now::get, new StoreIds(),
                store);
    }

    private DuplicateWindow.Outcome send(DuplicateWindow window, UUID producer, long sequence) {
        return window.send(new ProducerStamp(producer, sequence), MESSAGE, store::write);
    }

    @Test
    void theFirstSendAddsTheProducerInTheMessagesBatchAndLaterOnesSetItsSequence() {
        DuplicateWindow window = window(60_000, 10);
        assertThat(send(window, p, 1).resend()).isFalse();
        assertThat(send(window, p, 2).resend()).isFalse();
        assertThat(store.durable.get(0)).hasSize(2).last().isInstanceOf(StoreOp.AddProducer.class);
        assertThat(store.durable.get(1).get(1)).isInstanceOf(StoreOp.SetProducerSequence.class);
        assertThat(send(window, p, 1).resend()).isTrue();
        assertThat(send(window, p, 2).resend()).isTrue();
        assertThat(store.durable).as("resends write nothing").hasSize(2);
    }

    @Test
    void aResendOfASendStillBeingWrittenIsAnsweredWhenThatWriteIsDurable() {
        DuplicateWindow window = window(60_000, 10);
        store.hold = true;
        DuplicateWindow.Outcome first = send(window, p, 1);
        DuplicateWindow.Outcome resend = send(window, p, 1);
        assertThat(resend.resend()).isTrue();
        assertThat(resend.write()).isNotDone();
        store.pending.get(0).complete(null);
        assertThat(resend.write()).isCompleted();
        assertThat(first.write()).isCompleted();
    }

    @Test
    void aSendWhoseWriteFailedIsStoredWhenResent() {
        DuplicateWindow window = window(60_000, 10);
        store.hold = true;
        send(window, p, 1);
        store.pending.get(0).completeExceptionally(new IllegalStateException("disk full"));
        store.hold = false;
        DuplicateWindow.Outcome resend = send(window, p, 1);
        assertThat(resend.resend()).isFalse();
        assertThat(store.durable.get(1).get(1)).as("the failed batch never added the producer's record")
                .isInstanceOf(StoreOp.AddProducer.class);
    }

    @Test
    void aProducerIdleLongerThanTheWindowIsForgottenAndItsRecordRemoved() {
        DuplicateWindow window = window(60_000, 10);
        send(window, p, 1);
        now.addAndGet(30_000);
        assertThat(send(window, p, 1).resend()).as("within the window").isTrue();
        now.addAndGet(60_001);
        assertThat(send(window, p, 1).resend()).as("after the window").isFalse();
        assertThat(store.lazy).hasSize(1);
        assertThat(store.lazy.get(0).get(0)).isInstanceOf(StoreOp.RemoveProducer.class);
    }

    @Test
    void beyondTheMostProducersTheOneIdleLongestIsForgotten() {
        DuplicateWindow window = window(60_000, 2);
        UUID q = UUID.randomUUID();
        UUID r = UUID.randomUUID();
        send(window, p, 1);
        now.incrementAndGet();
        send(window, q, 1);
        now.incrementAndGet();
        send(window, p, 2); // p is now the most recently used
        now.incrementAndGet();
        send(window, r, 1);
        assertThat(window.size()).isEqualTo(2);
        assertThat(send(window, p, 2).resend()).isTrue();
        assertThat(send(window, q, 1).resend()).as("q was idle longest and is forgotten").isFalse();
    }

    @Test
    void restoredProducersAreRecognisedAndThoseOutOfTheWindowRemoved() {
        DuplicateWindow window = window(60_000, 10);
        UUID old = UUID.randomUUID();
        window.restore(List.of(new DuplicateWindow.Recovered(7, new ProducerStamp(p, 5), now.get() - 1_000),
                new DuplicateWindow.Recovered(8, new ProducerStamp(old, 3), now.get() - 120_000)));
        assertThat(window.size()).isEqualTo(1);
        assertThat(store.lazy).containsExactly(List.of(new StoreOp.RemoveProducer(8)));
        assertThat(send(window, p, 5).resend()).isTrue();
        assertThat(send(window, p, 6).resend()).isFalse();
        assertThat(store.durable.get(0).get(1)).isEqualTo(new StoreOp.SetProducerSequence(7, 6, now.get()));
    }

    @Test
    void aSendStoredNowhereIsRememberedInMemoryOnly() {
        DuplicateWindow window = window(60_000, 10);
        assertThat(window.send(new ProducerStamp(p, 1), List.of(), store::write).resend()).isFalse();
        assertThat(window.send(new ProducerStamp(p, 1), List.of(), store::write).resend()).isTrue();
        assertThat(store.durable).isEmpty();
    }

    private static DuplicateWindow.CommitAnswer answer(DuplicateWindow window, UUID session, long transaction) {
        return window.committed(new ProducerStamp(session, transaction)).join();
    }

    @Test
    void aCommitRecordsItsTransactionIdInItsOwnBatchEvenWithNothingElseToWrite() {
        DuplicateWindow window = window(60_000, 10);
        window.commit(new ProducerStamp(p, 1), MESSAGE, store::write).join();
        window.commit(new ProducerStamp(p, 2), List.of(), store::write).join();
        assertThat(store.durable.get(0)).hasSize(2).last().isInstanceOf(StoreOp.AddProducer.class);
        assertThat(store.durable.get(1)).as("a commit of non-persistent work writes its id alone").hasSize(1)
                .first().isInstanceOf(StoreOp.SetProducerSequence.class);
        assertThat(answer(window, p, 1)).isEqualTo(DuplicateWindow.CommitAnswer.COMMITTED);
        assertThat(answer(window, p, 2)).isEqualTo(DuplicateWindow.CommitAnswer.COMMITTED);
        assertThat(answer(window, p, 3)).isEqualTo(DuplicateWindow.CommitAnswer.NOT_COMMITTED);
        assertThat(answer(window, UUID.randomUUID(), 1)).as("a session never seen")
                .isEqualTo(DuplicateWindow.CommitAnswer.NOT_COMMITTED);
    }

    @Test
    void aQueryAboutACommitBeingWrittenIsAnsweredByItsWrite() {
        DuplicateWindow window = window(60_000, 10);
        store.hold = true;
        window.commit(new ProducerStamp(p, 1), MESSAGE, store::write);
        CompletableFuture<DuplicateWindow.CommitAnswer> first = window.committed(new ProducerStamp(p, 1));
        assertThat(first).isNotDone();
        store.pending.get(0).complete(null);
        assertThat(first.join()).isEqualTo(DuplicateWindow.CommitAnswer.COMMITTED);

        window.commit(new ProducerStamp(p, 2), MESSAGE, store::write);
        CompletableFuture<DuplicateWindow.CommitAnswer> second = window.committed(new ProducerStamp(p, 2));
        store.pending.get(1).completeExceptionally(new IllegalStateException("disk full"));
        assertThat(second.join()).as("nothing of a failed write is stored")
                .isEqualTo(DuplicateWindow.CommitAnswer.NOT_COMMITTED);
        assertThat(answer(window, p, 2)).isEqualTo(DuplicateWindow.CommitAnswer.NOT_COMMITTED);
    }

    @Test
    void restoredTransactionIdsAreStillKnownAsCommitted() {
        DuplicateWindow window = window(60_000, 10);
        window.restore(List.of(new DuplicateWindow.Recovered(5, new ProducerStamp(p, 3), now.get())));
        assertThat(answer(window, p, 3)).isEqualTo(DuplicateWindow.CommitAnswer.COMMITTED);
        assertThat(answer(window, p, 4)).isEqualTo(DuplicateWindow.CommitAnswer.NOT_COMMITTED);
    }

    @Test
    void anUnknownSessionIsAnsweredUnknownOnceTheWindowDroppedSessionsForRoom() {
        DuplicateWindow window = window(60_000, 1);
        window.commit(new ProducerStamp(p, 1), MESSAGE, store::write).join();
        now.incrementAndGet();
        window.commit(new ProducerStamp(UUID.randomUUID(), 1), MESSAGE, store::write).join();
        assertThat(answer(window, p, 1)).as("p was dropped for room: its commit may have been applied")
                .isEqualTo(DuplicateWindow.CommitAnswer.UNKNOWN);
        now.addAndGet(60_001);
        assertThat(answer(window, p, 1)).as("a window's time after the last drop for room")
                .isEqualTo(DuplicateWindow.CommitAnswer.NOT_COMMITTED);
    }
}
