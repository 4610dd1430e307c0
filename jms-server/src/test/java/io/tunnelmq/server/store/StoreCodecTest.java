package io.tunnelmq.server.store;

import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class StoreCodecTest {

    private static WireMessage message() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("s", "x");
        props.put("i", 7);
        props.put("b", new byte[] {1, 2});
        return new WireMessage(WireDestination.queue("orders"), "ID:1", 12, "corr",
                WireDestination.topic("replies"), "type", true, 7, 99, 55, props, BodyType.BYTES, new byte[] {9, 8, 7});
    }

    private static final class Collect implements StoreVisitor {
        final List<Object> seen = new ArrayList<>();

        @Override
        public void subscription(long id, DurableSubscription subscription) {
            seen.add(List.of(id, subscription));
        }

        @Override
        public void message(long id, StoredQueue queue, WireMessage message, int deliveryCount) {
            seen.add(List.of(id, queue, message, deliveryCount));
        }

        @Override
        public void producer(long id, ProducerStamp last, long storedAtMillis) {
            seen.add(List.of(id, last, storedAtMillis));
        }
    }

    @Test
    void producersRoundTripWithTheirLatestSequence() {
        UUID producer = UUID.randomUUID();
        Collect c = new Collect();
        byte[] record = StoreCodec.producerRecord(new ProducerStamp(producer, 3), 1_000);
        StoreCodec.decode(5, record, null, c);
        StoreCodec.decode(5, record, StoreCodec.producerSequence(9, 2_000), c);
        assertThat(c.seen).containsExactly(List.of(5L, new ProducerStamp(producer, 3), 1_000L),
                List.of(5L, new ProducerStamp(producer, 9), 2_000L));
    }

    @Test
    void messagesRoundTripWithTheirQueueAndDeliveryCount() {
        WireMessage m = message();
        byte[] encoded = StoreCodec.encodeMessage(m);
        Collect c = new Collect();
        StoreCodec.decode(3, StoreCodec.messageRecord(StoredQueue.queue("orders"), encoded), null, c);
        StoreCodec.decode(4, StoreCodec.messageRecord(StoredQueue.subscription(42), encoded),
                StoreCodec.deliveryCount(5), c);
        assertThat(c.seen).containsExactly(List.of(3L, StoredQueue.queue("orders"), m, 1),
                List.of(4L, StoredQueue.subscription(42), m, 5));
    }

    @Test
    void anEncodedMessageDecodesFromWithinALargerArray() {
        WireMessage m = message();
        byte[] encoded = StoreCodec.encodeMessage(m);
        byte[] padded = new byte[encoded.length + 10];
        System.arraycopy(encoded, 0, padded, 3, encoded.length);
        assertThat(StoreCodec.decodeMessage(padded, 3, encoded.length)).isEqualTo(m);
        assertThatThrownBy(() -> StoreCodec.decodeMessage(padded, 3, encoded.length + 2))
                .isInstanceOf(StoreException.class).hasMessageContaining("2 unexpected trailing bytes");
        assertThatThrownBy(() -> StoreCodec.decodeMessage(encoded, 0, encoded.length - 1))
                .isInstanceOf(StoreException.class).hasMessageContaining("cannot be decoded");
    }

    @Test
    void subscriptionsRoundTrip() {
        DurableSubscription s = new DurableSubscription("client", "sub", "news", "a > 1", true, false);
        DurableSubscription shared = new DurableSubscription(null, "shared", "news", null, false, true);
        Collect c = new Collect();
        StoreCodec.decode(1, StoreCodec.subscriptionRecord(s), null, c);
        StoreCodec.decode(2, StoreCodec.subscriptionRecord(shared), null, c);
        assertThat(c.seen).containsExactly(List.of(1L, s), List.of(2L, shared));
    }

    @Test
    void aDamagedRecordIsReportedWithItsId() {
        byte[] record = StoreCodec.messageRecord(StoredQueue.queue("q"), StoreCodec.encodeMessage(message()));
        byte[] truncated = java.util.Arrays.copyOf(record, record.length - 2);
        assertThatThrownBy(() -> StoreCodec.decode(77, truncated, null, new Collect()))
                .isInstanceOf(StoreException.class).hasMessageContaining("stored record 77");
        byte[] otherFormat = record.clone();
        otherFormat[0] = 9;
        assertThatThrownBy(() -> StoreCodec.decode(78, otherFormat, null, new Collect()))
                .isInstanceOf(StoreException.class).hasMessageContaining("format 9");
        assertThatThrownBy(() -> StoreCodec.decode(79, record, new byte[] {1}, new Collect()))
                .isInstanceOf(StoreException.class).hasMessageContaining("expected 4");
    }

    @Test
    void copiesOfOneMessageShareOneEncoding() {
        WireMessage m = message();
        List<RecordLog.Op> ops = JournalStore.toLogOps(List.of(
                new StoreOp.AddMessage(1, StoredQueue.subscription(10), m),
                new StoreOp.AddMessage(2, StoredQueue.subscription(11), m),
                new StoreOp.SetDeliveryCount(1, 3), new StoreOp.RemoveMessage(2)));
        assertThat(ops).hasSize(4);
        Collect c = new Collect();
        for (RecordLog.Op op : ops.subList(0, 2)) {
            RecordLog.Add add = (RecordLog.Add) op;
            StoreCodec.decode(add.id(), add.data(), null, c);
        }
        assertThat(c.seen).containsExactly(List.of(1L, StoredQueue.subscription(10), m, 1),
                List.of(2L, StoredQueue.subscription(11), m, 1));
        assertThat(((RecordLog.Annotate) ops.get(2)).annotation()).isEqualTo(StoreCodec.deliveryCount(3));
        assertThat(ops.get(3)).isEqualTo(new RecordLog.Delete(2));
    }
}
