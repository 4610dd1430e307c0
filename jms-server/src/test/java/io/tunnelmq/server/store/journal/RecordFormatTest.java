package io.tunnelmq.server.store.journal;

import static io.tunnelmq.server.store.journal.JournalFiles.add;
import static io.tunnelmq.server.store.journal.JournalFiles.annotate;
import static io.tunnelmq.server.store.journal.JournalFiles.delete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RecordFormatTest {

    @Test
    void everyOpKindRoundTrips() {
        List<JournalOp> ops = List.of(add(1, "hello"), annotate(1, "dc=2"), delete(7), add(Long.MAX_VALUE, ""));
        RecordFormat.EncodedRecord encoded = RecordFormat.encode(ops);
        assertThat(encoded.size()).isEqualTo(RecordFormat.encodedSize(ops));

        RecordFormat.Read read = RecordFormat.read(encoded.bytes(), 0, encoded.size());

        assertThat(read).isInstanceOf(RecordFormat.Valid.class);
        RecordFormat.Valid valid = (RecordFormat.Valid) read;
        assertThat(valid.size()).isEqualTo(encoded.size());
        assertThat(valid.ops()).hasSize(4);
        assertThat(valid.ops().get(0)).isInstanceOfSatisfying(JournalOp.Add.class,
                a -> assertThat(a.data()).isEqualTo(JournalFiles.bytes("hello")));
        assertThat(valid.ops().get(1)).isInstanceOfSatisfying(JournalOp.Annotate.class,
                a -> assertThat(a.annotation()).isEqualTo(JournalFiles.bytes("dc=2")));
        assertThat(valid.ops().get(2)).isEqualTo(new JournalOp.Delete(7));
        assertThat(valid.ops().get(3).id()).isEqualTo(Long.MAX_VALUE);
        assertThat(valid.dataOffsets()).containsExactly(encoded.dataOffsets());
        // the data offset points at the Add's data inside the record
        int at = valid.dataOffsets()[0];
        assertThat(Arrays.copyOfRange(encoded.bytes(), at, at + 5)).isEqualTo(JournalFiles.bytes("hello"));
        assertThat(valid.dataOffsets()[1]).isEqualTo(-1);
    }

    @Test
    void everyFlippedByteIsCaught() {
        RecordFormat.EncodedRecord encoded = RecordFormat.encode(List.of(add(3, "payload"), delete(2)));
        for (int i = 0; i < encoded.size(); i++) {
            byte[] damaged = encoded.bytes().clone();
            damaged[i] ^= 0x10;
            assertThat(RecordFormat.read(damaged, 0, damaged.length)).as("byte %d flipped", i)
                    .isInstanceOf(RecordFormat.Invalid.class);
        }
    }

    @Test
    void aShortOrZeroRecordIsInvalidAndSaysWhy() {
        RecordFormat.EncodedRecord encoded = RecordFormat.encode(List.of(add(3, "payload")));
        RecordFormat.Read cut = RecordFormat.read(encoded.bytes(), 0, encoded.size() - 1);
        assertThat(cut).isInstanceOfSatisfying(RecordFormat.Invalid.class, i -> {
            assertThat(i.zero()).isFalse();
            assertThat(i.reason()).contains("does not fit");
        });
        assertThat(RecordFormat.read(new byte[20], 0, 20)).isInstanceOfSatisfying(RecordFormat.Invalid.class,
                i -> assertThat(i.zero()).isTrue());
        assertThat(RecordFormat.read(new byte[5], 0, 5)).isInstanceOfSatisfying(RecordFormat.Invalid.class,
                i -> assertThat(i.zero()).isTrue());
    }

    @Test
    void segmentHeaderRoundTripsAndRejectsDamage() throws Exception {
        ByteBuffer header = RecordFormat.encodeHeader(new RecordFormat.SegmentHeader(42, 17));
        assertThat(header.remaining()).isEqualTo(RecordFormat.SEGMENT_HEADER_BYTES);
        assertThat(RecordFormat.decodeHeader(header.duplicate())).isEqualTo(new RecordFormat.SegmentHeader(42, 17));

        ByteBuffer badMagic = copy(header);
        badMagic.put(0, (byte) 'X');
        assertThatThrownBy(() -> RecordFormat.decodeHeader(badMagic)).hasMessageContaining("magic");
        ByteBuffer newer = RecordFormat.encodeHeader(new RecordFormat.SegmentHeader(42, 42));
        newer.putInt(4, 9);
        assertThatThrownBy(() -> RecordFormat.decodeHeader(newer)).hasMessageContaining("version 9");
        ByteBuffer flipped = copy(header);
        flipped.put(12, (byte) 1);
        assertThatThrownBy(() -> RecordFormat.decodeHeader(flipped)).hasMessageContaining("checksum");
        assertThatThrownBy(() -> RecordFormat.decodeHeader(ByteBuffer.allocate(10))).hasMessageContaining("shorter");
    }

    private static ByteBuffer copy(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
        copy.put(buffer.duplicate()).flip();
        return copy;
    }

    @Test
    void opsRejectBadIds() {
        assertThatThrownBy(() -> new JournalOp.Add(0, new byte[0])).hasMessageContaining("> 0");
        assertThatThrownBy(() -> new JournalOp.Delete(-1)).hasMessageContaining("> 0");
        assertThatThrownBy(() -> new JournalOp.Annotate(1, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void segmentNamesParse() {
        assertThat(Segment.sequenceOf("journal-12.tmj")).isEqualTo(12);
        assertThat(Segment.sequenceOf("journal-12.tmj.compact")).isEqualTo(-1);
        assertThat(Segment.sequenceOf("journal-.tmj")).isEqualTo(-1);
        assertThat(Segment.sequenceOf("journal-0.tmj")).isEqualTo(-1);
        assertThat(Segment.sequenceOf("journal-x1.tmj")).isEqualTo(-1);
        assertThat(Segment.sequenceOf("notes.txt")).isEqualTo(-1);
    }
}
