package io.tunnelmq.bench.scale;

import io.tunnelmq.bench.CommandLine;
import io.tunnelmq.bench.ExitCode;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Session;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code ScaleClient idle}: opens {@code --connections N} connections, each started with one AUTO_ACKNOWLEDGE session
 * and one consumer (on the queue {@code --layout} names), from {@code --open-threads} threads, after one connection
 * per thread opened and closed (so class loading is not in the rate); prints an {@link OpenReport} line; holds them
 * idle until standard input ends; then closes them and prints how many the provider reported lost meanwhile
 * ({@code CLOSED lost=N}).
 */
final class IdleConnections {
    static final String CLOSED = "CLOSED";

    private IdleConnections() {
    }

    static int run(CommandLine line) throws InterruptedException {
        ConnectionFactory factory = ScaleClient.factory(ScaleClient.jndi(line));
        int n = line.integer("connections", 10_000);
        int threads = line.integer("open-threads", 16);
        ScaleOptions.Layout layout = ScaleOptions.Layout.valueOf(line.string("layout", "shared")
                .toUpperCase(Locale.ROOT));
        line.requireAllUsed();
        LongAdder lost = new LongAdder();
        Opener.Task<Connection> open = i -> {
            Connection c = factory.createConnection();
            try {
                c.setExceptionListener(e -> lost.increment());
                Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createConsumer(session.createQueue(layout.queue(i)));
                c.start();
                return c;
            } catch (Exception | Error e) {
                c.close();
                throw e;
            }
        };
        // a connection per thread first, closed again: the rate is the fleet's, not the JVM's class loading
        AtomicReferenceArray<Connection> warmUp = new AtomicReferenceArray<>(threads);
        OpenReport warm = Opener.open(warmUp, threads, open);
        Opener.closeAll(warmUp, threads, Connection::close);
        if (!warm.ok()) {
            System.out.println(warm.line());
            return ExitCode.FAILED;
        }
        AtomicReferenceArray<Connection> connections = new AtomicReferenceArray<>(n);
        OpenReport report = Opener.open(connections, threads, open);
        System.out.println(report.line());
        System.out.flush();
        ScaleClient.awaitEndOfInput();
        long t0 = System.nanoTime();
        int failedCloses = Opener.closeAll(connections, threads, Connection::close);
        System.out.printf(Locale.ROOT, "%s lost=%d failedCloses=%d seconds=%.3f%n", CLOSED, lost.sum(),
                failedCloses, (System.nanoTime() - t0) / 1e9);
        return report.ok() && lost.sum() == 0 ? ExitCode.OK : ExitCode.FAILED;
    }
}
