package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.ConnectionEvents;
import io.tunnelmq.jms.engine.Delivery;
import io.tunnelmq.jms.engine.DeliveryListener;
import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineOptions;
import io.tunnelmq.jms.engine.Released;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.fail;

/** What the failover tests share: options, a connection over the fake engine, recording events and listeners. */
final class FailoverFixture {
    static final Duration WAIT = Duration.ofSeconds(5);

    private FailoverFixture() {
    }

    static EngineOptions options() {
        return new EngineOptions("configured-elsewhere", 1, null, null, null, 1_000, 1_000, 1_000, 0, 0, 1 << 20, 0);
    }

    /** Fast back-off: 10 ms, doubling, at most 40 ms. */
    static FailoverOptions failover(long timeoutMillis, String... addresses) {
        return new FailoverOptions(List.of(addresses), false, timeoutMillis, 10, 2.0, 40);
    }

    static EngineConnection connect(FakeEngine engine, Events events, FailoverOptions failover) {
        return await(new FailoverEngineFactory(engine, failover, new Random(1)).connect(options(), events));
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("expected success, failed with " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("no answer within " + WAIT, e);
        }
    }

    static EngineException failure(CompletableFuture<?> future) {
        try {
            future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return (EngineException) e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("no answer within " + WAIT, e);
        }
        return fail("expected the future to fail");
    }

    /** Records what the failover connection tells the facade. */
    static final class Events implements ConnectionEvents {
        final List<EngineException> failed = new CopyOnWriteArrayList<>();
        final List<EngineException> interrupted = new CopyOnWriteArrayList<>();
        final List<String> restored = new CopyOnWriteArrayList<>();
        final AtomicInteger heardAgain = new AtomicInteger();

        @Override
        public void connectionFailed(EngineException cause) {
            failed.add(cause);
        }

        @Override
        public void brokerHeardAgain() {
            heardAgain.incrementAndGet();
        }

        @Override
        public void interrupted(EngineException cause) {
            interrupted.add(cause);
        }

        @Override
        public void restored(String brokerAddress) {
            restored.add(brokerAddress);
        }
    }

    /** Records what a consumer tells the facade. */
    static final class Listener implements DeliveryListener {
        final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        final List<EngineException> closed = new CopyOnWriteArrayList<>();
        final AtomicInteger interrupted = new AtomicInteger();
        volatile long[] revokeAnswer;

        @Override
        public void onDelivery(Delivery delivery) {
            deliveries.add(delivery);
        }

        @Override
        public Released onRevoke(long[] lockTokens) {
            revokeAnswer = lockTokens;
            return new Released(lockTokens, 10);
        }

        @Override
        public void onInterrupted() {
            interrupted.incrementAndGet();
        }

        @Override
        public void onClosed(EngineException cause) {
            closed.add(cause);
        }

        long lastToken() {
            return deliveries.get(deliveries.size() - 1).lockToken();
        }
    }
}
