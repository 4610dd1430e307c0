package io.tunnelmq.jms.engine;

import io.tunnelmq.jms.ConnectionOptions;
import io.tunnelmq.jms.client.ConnectionSettings;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Helpers shared by the engine tests. */
final class EngineTestSupport {
    static final long WAIT_SECONDS = 5;

    private EngineTestSupport() {
    }

    /**
     * Engine options from a connection URL, as the facade builds them (the URL parser is the public API's; the
     * engine itself never sees it).
     */
    static EngineOptions options(String url) {
        return ConnectionSettings.forEngine(ConnectionOptions.parse(url));
    }

    static EngineConnection connect(EngineOptions options, ConnectionEvents events) throws Exception {
        return Engines.netty().connect(options, events).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Waits for the future to fail and returns its EngineException. */
    static EngineException failure(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return fail("expected the future to fail, but it completed");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(EngineException.class);
            return (EngineException) e.getCause();
        } catch (TimeoutException e) {
            return fail("expected the future to fail within " + WAIT_SECONDS + " s");
        }
    }

    /** A message of {@code bodyBytes} body bytes to a queue. */
    static WireMessage message(String queue, int bodyBytes) {
        return new WireMessage(WireDestination.queue(queue), null, 0, null, null, null, false, 4, 0, 0, Map.of(),
                BodyType.BYTES, new byte[bodyBytes]);
    }

    /** Records connection failures. */
    static final class RecordingEvents implements ConnectionEvents {
        final List<EngineException> failures = new CopyOnWriteArrayList<>();
        final CountDownLatch failed = new CountDownLatch(1);
        final AtomicInteger heardAgain = new AtomicInteger();

        @Override
        public void connectionFailed(EngineException cause) {
            failures.add(cause);
            failed.countDown();
        }

        @Override
        public void brokerHeardAgain() {
            heardAgain.incrementAndGet();
        }

        EngineException awaitFailure() throws InterruptedException {
            assertThat(failed.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("connectionFailed called").isTrue();
            return failures.get(0);
        }
    }

    /** Records a consumer's deliveries and its end. */
    static class RecordingListener implements DeliveryListener {
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        final List<EngineException> closes = new CopyOnWriteArrayList<>();
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void onDelivery(Delivery delivery) {
            deliveries.add(delivery);
        }

        @Override
        public void onClosed(EngineException cause) {
            closes.add(cause);
            closed.countDown();
        }

        Delivery next() throws InterruptedException {
            Delivery d = deliveries.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(d).as("a delivery within " + WAIT_SECONDS + " s").isNotNull();
            return d;
        }

        EngineException awaitClosed() throws InterruptedException {
            assertThat(closed.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("onClosed called").isTrue();
            return closes.get(0);
        }
    }
}
