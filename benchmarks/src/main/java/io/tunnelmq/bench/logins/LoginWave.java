package io.tunnelmq.bench.logins;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Opens one connection per client, all at once (a thread each, released together), as a fleet reconnecting to a
 * restarted broker does; each client makes one attempt, as {@code createConnection} does, and gives up at the
 * factory's connect timeout. The connections are closed once the wave is over.
 */
final class LoginWave {
    private LoginWave() {
    }

    /**
     * Opens {@code clients} connections from {@code factory}, client {@code i} logging in as {@code users.apply(i)}
     * with {@code password}.
     */
    static WaveResult open(ConnectionFactory factory, int clients, IntFunction<String> users, String password)
            throws InterruptedException {
        AtomicReferenceArray<Connection> opened = new AtomicReferenceArray<>(clients);
        long[] tookNanos = new long[clients];
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>(clients);
        long[] start = new long[1];
        for (int i = 0; i < clients; i++) {
            int client = i;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    opened.set(client, factory.createConnection(users.apply(client), password));
                } catch (Exception e) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, "client " + client + " as " + users.apply(client) + ": " + e);
                } finally {
                    tookNanos[client] = System.nanoTime() - start[0];
                }
            }, "login-" + i);
            thread.start();
            threads.add(thread);
        }
        start[0] = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long lastNanos = System.nanoTime() - start[0];
        closeAll(opened);
        long[] sorted = tookNanos.clone();
        Arrays.sort(sorted);
        return new WaveResult(clients, clients - failed.get(), failed.get(), lastNanos / 1_000_000,
                percentile(sorted, 50), percentile(sorted, 99), firstFailure.get());
    }

    private static long percentile(long[] sortedNanos, int p) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int index = Math.min(sortedNanos.length - 1, (int) Math.ceil(sortedNanos.length * p / 100.0) - 1);
        return sortedNanos[Math.max(0, index)] / 1_000_000;
    }

    private static void closeAll(AtomicReferenceArray<Connection> opened) {
        for (int i = 0; i < opened.length(); i++) {
            Connection c = opened.get(i);
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // the figure is taken; a close that fails changes nothing in it
                }
            }
        }
    }
}
