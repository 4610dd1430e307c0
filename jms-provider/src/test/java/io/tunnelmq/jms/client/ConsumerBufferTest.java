package io.tunnelmq.jms.client;

import io.tunnelmq.jms.engine.Delivery;
import io.tunnelmq.jms.engine.Released;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The prefetch buffer: revocation takes back only what the application has not taken, atomically. */
@Timeout(20)
class ConsumerBufferTest {

    private static Delivery delivery(long token, int bodyBytes) {
        WireMessage m = new WireMessage(WireDestination.queue("q"), "ID:" + token, 0, null, null, null, false, 4, 0, 0,
                null, BodyType.BYTES, new byte[bodyBytes]);
        return new Delivery(1, token, 1, 0, m);
    }

    @Test
    void revokeRemovesTheBufferedTokensAndReportsTheirSize() {
        ConsumerBuffer buffer = new ConsumerBuffer();
        Delivery d1 = delivery(1, 10);
        Delivery d2 = delivery(2, 20);
        Delivery d3 = delivery(3, 30);
        buffer.add(d1);
        buffer.add(d2);
        buffer.add(d3);
        assertThat(buffer.poll().delivery().lockToken()).isEqualTo(1); // the application took the head

        Released released = buffer.revoke(new long[] {1, 3, 42});

        assertThat(released.lockTokens()).containsExactly(3);
        assertThat(released.bytes()).isEqualTo(d3.message().sizeEstimate());
        assertThat(buffer.poll().delivery().lockToken()).isEqualTo(2);
        assertThat(buffer.isEmpty()).isTrue();
    }

    @Test
    void revokingNothingOrWhatIsGoneReleasesNothing() {
        ConsumerBuffer buffer = new ConsumerBuffer();
        assertThat(buffer.revoke(new long[0])).isEqualTo(Released.NONE);
        buffer.add(delivery(5, 1));
        assertThat(buffer.revoke(new long[] {6}).lockTokens()).isEmpty();
    }

    @Test
    void drainReportsTokensInOrderAndBytes() {
        ConsumerBuffer buffer = new ConsumerBuffer();
        Delivery a = delivery(7, 100);
        Delivery b = delivery(8, 200);
        buffer.add(a);
        buffer.add(b);
        Released drained = buffer.drain();
        assertThat(drained.lockTokens()).containsExactly(7, 8);
        assertThat(drained.bytes()).isEqualTo(a.message().sizeEstimate() + b.message().sizeEstimate());
        assertThat(buffer.drain()).isEqualTo(Released.NONE);
    }

    @Test
    void aMessagePutBackGivesNoCreditBackWhenRevokedOrDrained() {
        ConsumerBuffer buffer = new ConsumerBuffer();
        Delivery a = delivery(1, 100);
        Delivery b = delivery(2, 200);
        buffer.add(a);
        buffer.add(b);
        buffer.poll(); // taken: its credit went back to the broker then
        buffer.putBack(a); // the application could not use it (receiveBody of the wrong type)

        Released revoked = buffer.revoke(new long[] {1});
        assertThat(revoked.lockTokens()).containsExactly(1);
        assertThat(revoked.messages()).as("released, but its credit is not given twice").isZero();
        assertThat(revoked.bytes()).isZero();

        ConsumerBuffer recovered = new ConsumerBuffer();
        recovered.add(a);
        recovered.add(b);
        recovered.poll();
        recovered.putBack(a);
        Released drained = recovered.drain(); // recover, rollback

        assertThat(drained.lockTokens()).containsExactly(1, 2);
        assertThat(drained.messages()).isEqualTo(1);
        assertThat(drained.bytes()).isEqualTo(b.message().sizeEstimate());
    }

    @Test
    void aMessageIsEitherTakenOrRevokedNeverBoth() throws Exception {
        for (int round = 0; round < 50; round++) {
            ConsumerBuffer buffer = new ConsumerBuffer();
            long[] all = new long[200];
            for (int i = 0; i < all.length; i++) {
                all[i] = i + 1;
                buffer.add(delivery(i + 1, 1));
            }
            CompletableFuture<List<Long>> taker = CompletableFuture.supplyAsync(() -> {
                List<Long> taken = new ArrayList<>();
                try {
                    for (ConsumerBuffer.Entry e; (e = buffer.take(-1, () -> true)) != null; ) {
                        taken.add(e.delivery().lockToken());
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return taken;
            });
            Released revoked = buffer.revoke(all);
            List<Long> taken = taker.get(10, TimeUnit.SECONDS);

            Set<Long> seen = new HashSet<>(taken);
            for (long t : revoked.lockTokens()) {
                assertThat(seen.add(t)).as("token " + t + " both taken and revoked").isTrue();
            }
            assertThat(seen).hasSize(all.length);
        }
    }
}
