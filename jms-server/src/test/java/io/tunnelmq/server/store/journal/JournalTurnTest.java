package io.tunnelmq.server.store.journal;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.store.journal.JournalFiles.add;
import static io.tunnelmq.server.store.journal.JournalFiles.await;
import static io.tunnelmq.server.store.journal.JournalFiles.delete;
import static io.tunnelmq.server.store.journal.JournalFiles.options;
import static io.tunnelmq.server.store.journal.JournalFiles.reopen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Who writes a record: its appender when the journal is idle, else the writer thread ({@link WriterTurn}). */
@Timeout(60)
class JournalTurnTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void anAppendToAnIdleJournalIsWrittenAndSyncedBeforeAppendReturns() throws Exception {
        JournalOptions options = options(dir).build();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (Journal journal = Journal.open(options, r -> { })) {
            Thread writer = writerThread(before);
            for (int i = 1; i <= 20; i++) {
                eventually("the writer thread waits for work", WAIT, () -> parked(writer));
                long syncs = journal.stats().syncs();
                CompletableFuture<Void> appended = journal.append(List.of(add(i, "v" + i)));
                assertThat(appended).as("append %d", i).isCompleted();
                assertThat(journal.stats().syncs()).isEqualTo(syncs + 1);
                AtomicReference<String> ranOn = new AtomicReference<>();
                appended.thenRun(() -> ranOn.set(Thread.currentThread().getName()));
                assertThat(ranOn.get()).isEqualTo(Thread.currentThread().getName());
            }
        }
        assertThat(reopen(options).ids()).hasSize(20);
    }

    @Test
    void aLazyAppendIsAlwaysTheWriterThreadsToWrite() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (Journal journal = Journal.open(options(dir).fileSystem(fs).build(), r -> { })) {
            Thread writer = writerThread(before);
            for (int i = 1; i <= 5; i++) {
                eventually("the writer thread waits for work", WAIT, () -> parked(writer));
                await(journal.appendLazily(List.of(add(i, "lazy" + i)))); // its caller must not block
                assertThat(fs.lastWriter).isEqualTo(JournalWriter.THREAD_NAME);
            }
            eventually("the writer thread waits for work", WAIT, () -> parked(writer));
            await(journal.append(List.of(add(10, "durable"))));
            assertThat(fs.lastWriter).as("a durable one to an idle journal").isEqualTo(Thread.currentThread().getName());
        }
    }

    @Test
    void anAppenderWhoseWriteBlowsUpFailsTheJournalNotJustItsThread() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (Journal journal = Journal.open(options(dir).fileSystem(fs).build(), r -> { })) {
            Thread writer = writerThread(before);
            eventually("the writer thread waits for work", WAIT, () -> parked(writer));
            fs.forceBug = new IllegalStateException("injected");
            CompletableFuture<Void> appended = journal.append(List.of(add(1, "x")));
            assertThat(appended).as("answered, not left waiting").isCompletedExceptionally();
            assertThatThrownBy(appended::join).hasMessageContaining("has failed")
                    .hasMessageContaining("failed unexpectedly: java.lang.IllegalStateException: injected");
            fs.forceBug = null;
            CompletableFuture<Void> later = journal.append(List.of(add(2, "y")));
            assertThatThrownBy(() -> later.get(10, TimeUnit.SECONDS)).hasMessageContaining("has failed");
        }
    }

    @Test
    void appendsArrivingWhileAnAppenderWritesQueueAndTheWriterThreadWritesThem() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        JournalOptions options = options(dir).fileSystem(fs).build();
        ExecutorService appender = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-appender"));
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (Journal journal = Journal.open(options, r -> { })) {
            Thread writer = writerThread(before);
            eventually("the writer thread waits for work", WAIT, () -> parked(writer));
            CountDownLatch gate = new CountDownLatch(1);
            fs.forceGate = gate;
            Future<CompletableFuture<Void>> first = appender.submit(() -> journal.append(List.of(add(1, "first"))));
            eventually("the appender waits in its own fsync", WAIT, () -> testThreadWaitsIn("force"));
            AtomicReference<String> ranOn = new AtomicReference<>();
            CompletableFuture<Void> second = journal.append(List.of(add(2, "second")))
                    .thenRun(() -> ranOn.set(Thread.currentThread().getName()));
            assertThat(second).as("queued behind the appender's write").isNotDone();
            gate.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isCompleted();
            await(second);
            assertThat(ranOn.get()).isEqualTo(JournalWriter.THREAD_NAME);
        } finally {
            appender.shutdownNow();
        }
        assertThat(reopen(options).ids()).containsExactly(1L, 2L);
    }

    @Test
    void closeWaitsForAnAppenderThatIsWritingAndKeepsItsRecord() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        JournalOptions options = options(dir).fileSystem(fs).build();
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> new Thread(r, "test-appender"));
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Journal journal = Journal.open(options, r -> { });
        try {
            Thread writer = writerThread(before);
            eventually("the writer thread waits for work", WAIT, () -> parked(writer));
            CountDownLatch gate = new CountDownLatch(1);
            fs.forceGate = gate;
            Future<CompletableFuture<Void>> writing = threads.submit(() -> journal.append(List.of(add(1, "x"))));
            eventually("the appender waits in its own fsync", WAIT, () -> testThreadWaitsIn("force"));
            Future<?> closing = threads.submit(journal::close);
            eventually("close waits for the writer thread", WAIT, () -> testThreadWaitsIn("join"));
            assertThat(writer.isAlive()).as("the writer waits for the appender's turn").isTrue();
            assertThat(closing).isNotDone();
            gate.countDown();
            closing.get(10, TimeUnit.SECONDS);
            await(writing.get(10, TimeUnit.SECONDS));
            assertThat(writer.isAlive()).isFalse();
            CompletableFuture<Void> late = journal.append(List.of(add(2, "late")));
            assertThatThrownBy(() -> late.get(1, TimeUnit.SECONDS)).hasMessageContaining("is closed");
        } finally {
            threads.shutdownNow();
            journal.close();
        }
        assertThat(reopen(options).ids()).containsExactly(1L);
    }

    @Test
    void appendersAndTheWriterTakingTurnsLoseNothingAndKeepEachThreadsOrder() throws Exception {
        int threads = 6;
        int perThread = 400;
        JournalOptions options = options(dir).segmentBytes(64 << 10).build();
        try (Journal journal = Journal.open(options, r -> { })) {
            JournalFiles.fromThreads(threads, base -> {
                List<CompletableFuture<Void>> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    List<JournalOp> ops = List.of(add(base + i, "v" + i));
                    // durable ones waited for, lazy ones not: both ways of reaching an idle or a busy journal
                    if (i % 3 == 0) {
                        journal.append(ops).get(10, TimeUnit.SECONDS);
                    } else {
                        mine.add(journal.appendLazily(ops));
                    }
                }
                CompletableFuture.allOf(mine.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            });
            assertThat(journal.stats().recordsAppended()).isEqualTo(threads * perThread);
            assertThat(journal.stats().segments()).as("rolled on the way").isGreaterThan(1);
        }
        List<Long> ids = reopen(options).ids();
        assertThat(ids).hasSize(threads * perThread);
        for (int t = 1; t <= threads; t++) {
            long base = t * 100_000L;
            assertThat(ids.stream().filter(id -> id / 100_000L == base / 100_000L).toList())
                    .as("thread %d's records in the order it appended them", t).isSorted().hasSize(perThread);
        }
    }

    @Test
    void anAppenderThatWroteInlineLeavesDeletingDeadSegmentsToTheWriterThread() throws Exception {
        FaultyFileSystem fs = new FaultyFileSystem();
        String big = "x".repeat(1_500); // one per 2 KiB segment
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (Journal journal = Journal.open(options(dir).fileSystem(fs).segmentBytes(2048).build(), r -> { })) {
            Thread writer = writerThread(before);
            for (long id = 1; id <= 6; id++) {
                eventually("the writer thread waits for work", WAIT, () -> parked(writer));
                await(journal.append(List.of(add(id, big))));
            }
            eventually("the writer thread waits for work", WAIT, () -> parked(writer));
            // one append deletes them all, so the segments that held them die at once
            await(journal.append(List.of(delete(1), delete(2), delete(3), delete(4), delete(5), delete(6))));
            assertThat(fs.lastWriter).as("the deletes were written inline").isEqualTo(Thread.currentThread().getName());
            eventually("dead segments are removed", WAIT, () -> journal.stats().segmentsRemoved() >= 4);
            assertThat(fs.lastDeleter).isEqualTo(JournalWriter.THREAD_NAME);
        }
    }

    private static Thread writerThread(Set<Thread> before) {
        Set<Thread> now = new HashSet<>(Thread.getAllStackTraces().keySet());
        now.removeAll(before);
        return now.stream().filter(t -> t.getName().equals(JournalWriter.THREAD_NAME)).findFirst()
                .orElseThrow(() -> new AssertionError("no new " + JournalWriter.THREAD_NAME + " thread"));
    }

    private static boolean parked(Thread writer) {
        return writer.getState() == Thread.State.WAITING;
    }

    /** Whether one of this test's threads is blocked in a method named {@code method}. */
    private static boolean testThreadWaitsIn(String method) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().equals("test-appender"))
                .filter(e -> e.getKey().getState() == Thread.State.WAITING
                        || e.getKey().getState() == Thread.State.TIMED_WAITING)
                .anyMatch(e -> Arrays.stream(e.getValue()).anyMatch(frame -> frame.getMethodName().equals(method)));
    }
}
