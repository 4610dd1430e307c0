package io.tunnelmq.jms.client;

import io.tunnelmq.jms.engine.LockOutcome;
import io.tunnelmq.jms.engine.Released;

import jakarta.jms.JMSException;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Puts a session's messages back on the broker so that redelivery keeps the queue order (recover, rollback,
 * failed commit): the messages the application saw are unlocked by the caller's action (abandon or rollback),
 * the ones still buffered are released.
 *
 * <p>Deliveries the broker sent before it applied the release are still on their way and would overtake the
 * redelivered messages. The engine completes the settle future on its thread as it reads the broker's answer,
 * in order with the deliveries, so a callback on that future sees exactly what arrived before the answer and
 * releases it too. Only then is the released messages' credit given back ({@code taken}).
 *
 * <p>Known limit: a message that reaches the queue while the release is on its way may be delivered to this
 * consumer ahead of the released ones (the protocol has no way to pause a consumer's credit).
 */
final class OrderedRedelivery {
    private OrderedRedelivery() {
    }

    /**
     * @param unlockSeen sends the request that unlocks the messages the application saw; null if there are none
     * @param what       for error messages ("recover")
     * @throws JMSException the failure of {@code unlockSeen} or of the release, after the buffers were cleared
     */
    static void rewind(JmsSession session, Supplier<CompletableFuture<Void>> unlockSeen, String what)
            throws JMSException {
        long timeout = session.connection().requestWaitMillis();
        Map<JmsMessageConsumer, long[]> released = new IdentityHashMap<>();
        long[] buffered = drain(session, released);
        CompletableFuture<Void> unlocked = unlockSeen == null ? null : unlockSeen.get();
        CompletableFuture<Void> release = buffered.length == 0 ? null
                : session.engine().settle(LockOutcome.RELEASE, buffered, null, true);
        CompletableFuture<Void> last = release != null ? release : unlocked;
        if (last == null) {
            return; // nothing seen, nothing buffered: nothing can be out of order
        }
        CompletableFuture<Void> caughtUp = last.handle((v, e) -> {
            long[] late = drain(session, released);
            if (late.length > 0) {
                session.engine().settle(LockOutcome.RELEASE, late, null, false);
            }
            released.forEach((c, countAndBytes) -> c.creditBack((int) countAndBytes[0], countAndBytes[1]));
            return null;
        });
        JMSException failure = null;
        for (CompletableFuture<Void> f : Arrays.asList(unlocked, release, caughtUp)) {
            if (f == null) {
                continue;
            }
            try {
                Await.result(f, timeout, what);
            } catch (JMSException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Empties the consumers' buffers; adds the credit each gives back to {@code counts} as {messages, bytes}. */
    private static long[] drain(JmsSession session, Map<JmsMessageConsumer, long[]> counts) {
        long[] all = new long[0];
        for (JmsMessageConsumer c : session.consumers()) {
            Released drained = c.drainBuffer();
            long[] tokens = drained.lockTokens();
            if (tokens.length > 0) {
                long[] sum = counts.computeIfAbsent(c, k -> new long[2]);
                sum[0] += drained.messages();
                sum[1] += drained.bytes();
                int at = all.length;
                all = Arrays.copyOf(all, at + tokens.length);
                System.arraycopy(tokens, 0, all, at, tokens.length);
            }
        }
        return all;
    }
}
