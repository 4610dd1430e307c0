package io.tunnelmq.server.store;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Paged messages read back from the store by id, and recovery handing records over as the log reads them. */
@Timeout(30)
class JournalStoreReadTest {
    @TempDir
    Path dir;

    private static WireMessage message(String text) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("s", text);
        props.put("i", 7);
        props.put("b", new byte[] {1, 2});
        return new WireMessage(WireDestination.queue("orders"), "ID:" + text, 12, "corr",
                WireDestination.topic("replies"), "type", true, 7, 99, 55, props, BodyType.BYTES, new byte[] {9, 8, 7});
    }

    private static WireMessage[] read(MessageStore store, long... ids) throws Exception {
        return store.read(ids).get(10, TimeUnit.SECONDS);
    }

    @Test
    void messagesComeBackWithTheirPropertiesAndBodyAndNullForWhatIsNoMessage() throws Exception {
        WireMessage a = message("a");
        WireMessage b = message("b");
        try (JournalStore store = JournalStore.open(RecordLogs.production(), dir)) {
            store.write(List.of(new StoreOp.AddMessage(1, StoredQueue.queue("orders"), a),
                    new StoreOp.AddSubscription(2, new DurableSubscription("c", "s", "news", null, false, false)),
                    new StoreOp.AddMessage(3, StoredQueue.subscription(2), b),
                    new StoreOp.AddProducer(4, new ProducerStamp(java.util.UUID.randomUUID(), 1), 1_000)))
                    .get(10, TimeUnit.SECONDS);
            store.writeLazily(List.of(new StoreOp.SetDeliveryCount(1, 3))).get(10, TimeUnit.SECONDS);
            assertThat(read(store, 3, 1, 2, 4, 99)).containsExactly(b, a, null, null, null);
            store.write(List.of(new StoreOp.RemoveMessage(1))).get(10, TimeUnit.SECONDS);
            assertThat(read(store, 1, 3)).containsExactly(null, b);
        }
    }

    @Test
    void aFailedReadNamesTheDirectory() throws Exception {
        JournalStore store = JournalStore.open(RecordLogs.production(), dir);
        store.close();
        assertThatThrownBy(() -> read(store, 1)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StoreException.class).hasMessageContaining(dir.toString());
    }

    @Test
    void aLogThatCannotReadBackSaysSo() {
        JournalStore store = JournalStore.over(FakeRecordLog.create());
        assertThat(new MemoryStore().read(new long[] {1, 2}).join()).containsExactly(null, null);
        // the fake reads what its disk holds; a log without read fails the future rather than answer null
        RecordLog bare = logReplaying(recovered -> { });
        assertThatThrownBy(() -> read(JournalStore.over(bare), 1)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StoreException.class)
                .cause().isInstanceOf(UnsupportedOperationException.class);
        store.close();
    }

    @Test
    void recoveryHandsEachRecordToTheVisitorBeforeTheLogProducesTheNext() throws Exception {
        byte[] encoded = StoreCodec.encodeMessage(message("m"));
        List<Long> produced = new ArrayList<>();
        RecordLog.Opener streaming = directory -> logReplaying(recovered -> {
            for (long id = 1; id <= 1000; id++) {
                produced.add(id);
                recovered.accept(new RecordLog.Recovered(id, StoreCodec.messageRecord(StoredQueue.queue("q"), encoded),
                        null));
            }
        });
        List<Long> visited = new ArrayList<>();
        try (JournalStore store = JournalStore.open(streaming, dir)) {
            store.recover(new StoreVisitor() {
                @Override
                public void subscription(long id, DurableSubscription subscription) {
                }

                @Override
                public void message(long id, StoredQueue queue, WireMessage message, int deliveryCount) {
                    assertThat(produced).as("nothing was read ahead of the visitor but this record")
                            .hasSize(visited.size() + 1);
                    visited.add(id);
                }

                @Override
                public void producer(long id, ProducerStamp last, long storedAtMillis) {
                }
            });
        }
        assertThat(visited).hasSize(1000).isSorted();
    }

    /** A log that replays as told, takes appends without keeping them and cannot read back (no read of its own). */
    private static RecordLog logReplaying(Consumer<Consumer<RecordLog.Recovered>> replay) {
        return new RecordLog() {
            @Override
            public void replay(Consumer<Recovered> recovered) {
                replay.accept(recovered);
            }

            @Override
            public CompletableFuture<Void> append(List<Op> ops) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> appendLazily(List<Op> ops) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void close() {
            }
        };
    }
}
