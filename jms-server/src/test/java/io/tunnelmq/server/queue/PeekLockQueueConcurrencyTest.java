package io.tunnelmq.server.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tunnelmq.server.queue.TestSettle.abandon;
import static io.tunnelmq.server.queue.TestSettle.complete;
import static io.tunnelmq.server.queue.TestSettle.release;
import static io.tunnelmq.server.queue.TestSettle.renew;
import static io.tunnelmq.server.queue.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads complete, abandon, release, let locks expire and close consumers on one queue at once. Every
 * lock change is checked as it happens (the owner callbacks run under the queue's lock): no message is ever
 * locked twice at once, and in the end every message was completed exactly once — none lost.
 */
@Timeout(60)
class PeekLockQueueConcurrencyTest {
    private static final int MESSAGES = 10_000;
    private static final int PRODUCERS = 2;
    private static final int CONSUMERS = 4;

    /** Lock owner shared by all test consumers: checks the one-lock-per-message rule as locks change. */
    private static final class CheckingOwner implements LockOwner {
        final Map<String, Long> lockedMessages = new ConcurrentHashMap<>();
        final Map<Long, String> messageOfToken = new ConcurrentHashMap<>();
        final List<String> violations = new ArrayList<>();
        final AtomicInteger expiries = new AtomicInteger();

        @Override
        public void lockTaken(Delivery delivery) {
            String id = delivery.message().messageId();
            Long previous = lockedMessages.putIfAbsent(id, delivery.lockToken());
            if (previous != null) {
                synchronized (violations) {
                    violations.add(id + " locked by " + delivery.lockToken() + " while " + previous + " still held");
                }
            }
            messageOfToken.put(delivery.lockToken(), id);
        }

        @Override
        public void lockEnded(long lockToken, boolean expired) {
            if (expired) {
                expiries.incrementAndGet();
            }
            String id = messageOfToken.remove(lockToken);
            if (id == null || !lockedMessages.remove(id, lockToken)) {
                synchronized (violations) {
                    violations.add("lock " + lockToken + " ended but was not live");
                }
            }
        }
    }

    /** One consumer's owner: each consumer has its own, all report to the shared checker. */
    private static final class Owner implements LockOwner {
        final CheckingOwner checker;

        Owner(CheckingOwner checker) {
            this.checker = checker;
        }

        @Override
        public void lockTaken(Delivery delivery) {
            checker.lockTaken(delivery);
        }

        @Override
        public void lockEnded(long lockToken, boolean expired) {
            checker.lockEnded(lockToken, expired);
        }
    }

    @Test
    void noMessageIsLostOrLockedTwiceUnderConcurrentSettlementExpiryAndClose() throws Exception {
        CheckingOwner checker = new CheckingOwner();
        MemoryTracker memory = new MemoryTracker(1L << 30);
        Set<String> completed = ConcurrentHashMap.newKeySet();
        List<String> doubleCompletions = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch allCompleted = new CountDownLatch(1);

        try (WheelTimer timer = new WheelTimer()) {
            QueueServices services = new QueueServices(timer, new LockTokens(), memory,
                    (dlq, m) -> { throw new AssertionError("nothing should be dead-lettered: " + m); });
            PeekLockQueue queue = new PeekLockQueue("load", "DLQ.load", new QueueSettings(60_000, 1_000_000),
                    services);
            ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS);
            try {
                List<Future<?>> tasks = new ArrayList<>();
                for (int p = 0; p < PRODUCERS; p++) {
                    int producer = p;
                    tasks.add(pool.submit(() -> {
                        for (int i = producer; i < MESSAGES; i += PRODUCERS) {
                            queue.enqueue(message("load", "m" + i));
                        }
                    }));
                }
                for (int c = 0; c < CONSUMERS; c++) {
                    // half the consumers take short locks so that expiry races with settlement
                    long lockDuration = c % 2 == 0 ? 15 : 0;
                    tasks.add(pool.submit(() -> {
                        consume(queue, new TestConsumer("c", lockDuration, new Owner(checker)), completed,
                                doubleCompletions, done, allCompleted);
                        return null;
                    }));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                while (!allCompleted.await(50, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                    synchronized (checker.violations) {
                        assertThat(checker.violations).as("lock rule violations").isEmpty();
                    }
                }
                assertThat(allCompleted.getCount())
                        .as(() -> "all messages completed; completed " + completed.size() + " of " + MESSAGES
                                + ", queue " + queue.stats()).isZero();
                done.set(true);
                for (Future<?> task : tasks) {
                    task.get(10, TimeUnit.SECONDS);
                }
            } finally {
                done.set(true);
                pool.shutdownNow();
                assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }

            assertThat(checker.violations).isEmpty();
            assertThat(doubleCompletions).isEmpty();
            assertThat(completed).hasSize(MESSAGES);
            QueueStats stats = queue.stats();
            assertThat(stats.depth()).isZero();
            assertThat(stats.delivered()).isGreaterThan(MESSAGES);
            assertThat(checker.expiries).as("lock expiry took part in the race").hasPositiveValue();
            assertThat(memory.used()).isZero();
        }
    }

    private static void consume(PeekLockQueue queue, TestConsumer consumer, Set<String> completed,
                                List<String> doubleCompletions, AtomicBoolean done, CountDownLatch allCompleted)
            throws InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        queue.consumers().add(consumer, 10);
        while (!done.get()) {
            Delivery d = consumer.deliveries.poll(5, TimeUnit.MILLISECONDS);
            if (d == null) {
                continue;
            }
            int dice = random.nextInt(100);
            LockOwner owner = consumer.owner();
            if (dice < 55) {
                if (complete(queue, owner, d.lockToken()) == SettleResult.OK) {
                    if (!completed.add(d.message().messageId())) {
                        synchronized (doubleCompletions) {
                            doubleCompletions.add(d.message().messageId());
                        }
                    }
                    if (completed.size() == MESSAGES) {
                        allCompleted.countDown();
                    }
                }
            } else if (dice < 70) {
                abandon(queue, owner, d.lockToken());
            } else if (dice < 85) {
                release(queue, owner, d.lockToken());
            } else if (dice < 90) {
                renew(queue, owner, d.lockToken());
                release(queue, owner, d.lockToken());
            } else if (dice < 98 && consumer.lockDurationMillis() > 0) {
                // walk away: the short lock expires while other threads settle and dispatch
            } else if (dice >= 98 && consumer.lockDurationMillis() == 0) {
                // the session closes and reopens: everything it holds is abandoned. Only consumers without short
                // locks do this, so what a short-lock consumer walked away from comes back by expiry alone
                queue.consumers().remove(consumer);
                queue.returnAll(owner, OwnerGone.HEARD);
                consumer.deliveries.clear();
                queue.consumers().add(consumer, 10);
                continue;
            } else {
                abandon(queue, owner, d.lockToken());
            }
            queue.consumers().addCredit(consumer, 1);
        }
        queue.consumers().remove(consumer);
    }
}
