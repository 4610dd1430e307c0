package io.tunnelmq.jms.engine;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.Ok;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static io.tunnelmq.jms.engine.EngineTestSupport.await;
import static io.tunnelmq.jms.engine.EngineTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class PendingRequestsTest {
    private final EventLoop loop = new DefaultEventLoop(r -> {
        Thread t = new Thread(r, "pending-requests-test");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** PendingRequests is confined to its loop, so the test drives it there. */
    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    @Test
    void idsAreConnectionWideIncreasingAndPositive() throws Exception {
        PendingRequests pending = new PendingRequests(loop, 10_000, "h:1");
        List<Long> ids = onLoop(() -> List.of(
                pending.register(1, "a", Reply.completing(new CompletableFuture<>())),
                pending.register(2, "b", Reply.completing(new CompletableFuture<>())),
                pending.register(0, "c", Reply.completing(new CompletableFuture<>()))));
        assertThat(ids).containsExactly(1L, 2L, 3L);
    }

    @Test
    void takeHandsOutEachRequestOnce() throws Exception {
        PendingRequests pending = new PendingRequests(loop, 10_000, "h:1");
        CompletableFuture<Void> answered = new CompletableFuture<>();
        long id = onLoop(() -> pending.register(1, "Commit", Reply.completing(answered)));

        onLoop(() -> {
            pending.take(id).reply().ok(new Ok(1, id, 0));
            return null;
        });

        await(answered);
        assertThat(onLoop(() -> pending.take(id))).isNull();
        assertThat(onLoop(pending::size)).isZero();
    }

    @Test
    void unansweredRequestsTimeOutOldestFirstNamingWhatAndWhere() throws Exception {
        PendingRequests pending = new PendingRequests(loop, 200, "broker:9494");
        List<String> order = new ArrayList<>();
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        first.whenComplete((v, t) -> order.add("first"));
        second.whenComplete((v, t) -> order.add("second"));
        long start = System.nanoTime();
        onLoop(() -> pending.register(1, "Commit on session 1", Reply.completing(first)));
        onLoop(() -> pending.register(2, "Rollback on session 2", Reply.completing(second)));

        EngineException e = failure(first);
        failure(second);

        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(190);
        assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(e.getMessage()).isEqualTo("Commit on session 1 got no answer from the broker at broker:9494 within 200 ms");
        // the sweep completes both on the loop, whose callbacks note the order there: read it after that task
        assertThat(onLoop(() -> List.copyOf(order))).containsExactly("first", "second");
        assertThat(onLoop(pending::size)).isZero();
    }

    @Test
    void answeredRequestsDoNotTimeOut() throws Exception {
        PendingRequests pending = new PendingRequests(loop, 100, "h:1");
        CompletableFuture<Void> answered = new CompletableFuture<>();
        CompletableFuture<Void> later = new CompletableFuture<>();
        long id = onLoop(() -> pending.register(1, "a", Reply.completing(answered)));
        onLoop(() -> {
            pending.take(id).reply().ok(new Ok(1, id, 0));
            return null;
        });
        onLoop(() -> pending.register(1, "b", Reply.completing(later)));

        assertThat(failure(later).code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(answered).isCompleted(); // completed normally, never failed by the sweep
    }

    @Test
    void failChannelFailsOnlyThatChannel() throws Exception {
        PendingRequests pending = new PendingRequests(loop, 10_000, "h:1");
        CompletableFuture<Void> one = new CompletableFuture<>();
        CompletableFuture<Void> two = new CompletableFuture<>();
        onLoop(() -> pending.register(1, "a", Reply.completing(one)));
        onLoop(() -> pending.register(2, "b", Reply.completing(two)));
        EngineException cause = new EngineException(ErrorCode.STORE_FAILURE, "disk");

        onLoop(() -> {
            pending.failChannel(1, cause);
            return null;
        });

        assertThat(failure(one)).isSameAs(cause);
        assertThat(two).isNotDone();
        assertThat(onLoop(pending::size)).isEqualTo(1);
    }

    @Test
    void failAllFailsEveryRequestEvenIfOneCallbackThrows() throws Exception {
        PendingRequests pending = new PendingRequests(loop, 10_000, "h:1");
        CompletableFuture<Void> survivor = new CompletableFuture<>();
        onLoop(() -> pending.register(1, "broken", new Reply() {
            @Override
            public void ok(Ok ok) {
            }

            @Override
            public void failed(EngineException cause) {
                throw new IllegalStateException("a buggy callback");
            }
        }));
        onLoop(() -> pending.register(1, "b", Reply.completing(survivor)));
        EngineException cause = new EngineException(ErrorCode.CONNECTION_FAILED, "gone");

        onLoop(() -> {
            pending.failAll(cause);
            return null;
        });

        assertThat(failure(survivor)).isSameAs(cause);
        assertThat(onLoop(pending::size)).isZero();
    }
}
