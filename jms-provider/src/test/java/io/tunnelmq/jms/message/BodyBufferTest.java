package io.tunnelmq.jms.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Growth, sharing without a copy and copy-on-write of the BytesMessage body buffer. */
@Timeout(10)
class BodyBufferTest {

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i + seed);
        }
        return b;
    }

    @Test
    void anEmptyBufferSharesAnEmptyArray() {
        BodyBuffer buffer = new BodyBuffer();
        assertThat(buffer.size()).isZero();
        assertThat(buffer.share()).isEmpty();
        assertThat(buffer.copy()).isEmpty();
    }

    @Test
    void aFirstLargeWriteIsSizedExactlySoSharingDoesNotCopy() {
        BodyBuffer buffer = new BodyBuffer();
        byte[] body = bytes(1024, 0);
        buffer.write(body, 0, body.length);
        byte[] shared = buffer.share();
        assertThat(shared).isEqualTo(body).isNotSameAs(body);
        assertThat(buffer.share()).as("sharing twice hands out the same array").isSameAs(shared);
    }

    @Test
    void smallWritesGrowByDoublingAndSharingTrimsOnce() {
        BodyBuffer buffer = new BodyBuffer();
        for (int i = 0; i < 1000; i++) {
            buffer.write(i);
        }
        assertThat(buffer.size()).isEqualTo(1000);
        byte[] shared = buffer.share();
        assertThat(shared).hasSize(1000).isEqualTo(bytes(1000, 0));
        assertThat(buffer.share()).isSameAs(shared);
    }

    @Test
    void writingAfterSharingLeavesTheSharedArrayUnchanged() {
        BodyBuffer buffer = new BodyBuffer();
        buffer.write(bytes(300, 0), 0, 300);
        byte[] first = buffer.share();
        byte[] firstContent = first.clone();

        buffer.write(99);
        buffer.write(bytes(10, 5), 2, 3);
        byte[] second = buffer.share();

        assertThat(first).isEqualTo(firstContent);
        assertThat(second).hasSize(304).isNotSameAs(first);
        assertThat(second).startsWith(firstContent).endsWith(new byte[] {99, 7, 8, 9});
    }

    @Test
    void copiesAreTheCallersOwn() {
        BodyBuffer buffer = new BodyBuffer();
        buffer.write(bytes(8, 1), 0, 8);
        byte[] copy = buffer.copy();
        copy[0] = 42;
        assertThat(buffer.share()).isEqualTo(bytes(8, 1));
        assertThat(buffer.copy()).isNotSameAs(buffer.share());
    }

    @Test
    void badOffsetsAreRejectedAndWriteNothing() {
        BodyBuffer buffer = new BodyBuffer();
        assertThatThrownBy(() -> buffer.write(new byte[4], 3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> buffer.write(new byte[4], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> buffer.write(null, 0, 1)).isInstanceOf(NullPointerException.class);
        assertThat(buffer.size()).isZero();
    }
}
