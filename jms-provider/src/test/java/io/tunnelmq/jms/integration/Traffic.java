package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnection;
import io.tunnelmq.jms.TunnelConnectionListener;
import jakarta.jms.Connection;
import jakarta.jms.ExceptionListener;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import jakarta.jms.TransactionRolledBackException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static io.tunnelmq.jms.Eventually.eventually;

/**
 * Numbered messages flowing through destinations while the failover tests break the broker or the network, and what
 * the application would have noticed. Producers send {@link #NUMBER} = 0, 1, 2, ... and record a number once its send
 * returned; consumers record every message handed to them in the destination's {@link TrafficLedger}, which checks the
 * promise: nothing sent is lost, and a message handed out again carries {@code JMSRedelivered}. Every exception that
 * reaches the application (an ExceptionListener call, a throwing send, receive or commit other than the documented
 * {@link TransactionRolledBackException}) is a {@link #problems() problem}; a loop that meets one ends.
 */
final class Traffic implements AutoCloseable {
    /** The int property holding a message's number. */
    static final String NUMBER = "n";
    /** How long a receive loop waits per call, so that it sees {@link #stopConsumers()} soon. */
    private static final long RECEIVE_MILLIS = 100;

    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<Thread> producers = new CopyOnWriteArrayList<>();
    private final List<Thread> consumers = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    private final List<TrafficLedger> ledgers = new CopyOnWriteArrayList<>();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final AtomicInteger rolledBack = new AtomicInteger();
    private volatile boolean producing = true;
    private volatile boolean consuming = true;

    /** One number-sending step: sends message {@code n}, returns once the send returned. */
    @FunctionalInterface
    interface Send {
        void send(int n) throws Exception;
    }

    /** One receive call: a message, or null when none came within {@code timeoutMillis}. */
    @FunctionalInterface
    interface Receive {
        Message receive(long timeoutMillis) throws Exception;
    }

    /** The exceptions that reached the application so far, each with who met it. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    void problem(String what) {
        problems.add(what);
    }

    /** Commits that threw {@link TransactionRolledBackException} (allowed after a cut; their messages come again). */
    int rolledBack() {
        return rolledBack.get();
    }

    /** A ledger for one destination, named in this traffic's failure messages. */
    TrafficLedger ledger(String name) {
        TrafficLedger ledger = new TrafficLedger(name);
        ledgers.add(ledger);
        return ledger;
    }

    /** An ExceptionListener that records every call as a problem. */
    ExceptionListener exceptionListener(String who) {
        return e -> problem(who + ": ExceptionListener called: " + e);
    }

    /**
     * Watches a connection: its ExceptionListener calls become problems, its interruptions and restores are counted.
     * The traffic closes it at {@link #close()}.
     */
    Watch watch(Connection connection, String who) throws JMSException {
        closeables.add(connection);
        connection.setExceptionListener(exceptionListener(who));
        Watch watch = new Watch(who);
        watches.add(watch);
        if (connection instanceof TunnelConnection tunnel) {
            tunnel.setConnectionListener(watch);
        } else {
            problem(who + ": " + connection.getClass().getName() + " is no TunnelConnection: nobody hears its"
                    + " interruptions");
        }
        return watch;
    }

    /** Closes this at {@link #close()}, before the connections (a JMSContext, say). */
    void closeAtEnd(AutoCloseable closeable) {
        closeables.add(0, closeable);
    }

    /** Sends 0, 1, 2, ... on a thread of its own until {@link #stopProducers()}, pausing this long between sends. */
    void produce(String who, TrafficLedger ledger, Duration pause, Send send) {
        producers.add(start(who, () -> {
            for (int n = 0; producing; n++) {
                send.send(n);
                ledger.sent(n);
                LockSupport.parkNanos(pause.toNanos()); // pacing, so that the consumers keep up on two cores
            }
        }));
    }

    /** Receives on a thread of its own until {@link #stopConsumers()}; every message counts as consumed at once. */
    void consume(String who, TrafficLedger ledger, Receive receive) {
        consumers.add(start(who, () -> {
            while (consuming) {
                Message m = receive.receive(RECEIVE_MILLIS);
                if (m != null) {
                    ledger.handedOut(m);
                    ledger.consumed(ledger.number(m));
                }
            }
        }));
    }

    /**
     * Receives in a transacted session on a thread of its own, committing every {@code batch} messages (and when the
     * queue is quiet); a commit that throws {@link TransactionRolledBackException} is counted, its messages are
     * expected again. Only committed messages count as consumed.
     */
    void consumeTransacted(String who, TrafficLedger ledger, Session session, Receive receive, int batch) {
        consumers.add(start(who, () -> {
            List<Integer> uncommitted = new ArrayList<>();
            while (consuming || !uncommitted.isEmpty()) {
                Message m = receive.receive(RECEIVE_MILLIS);
                if (m != null) {
                    ledger.handedOut(m);
                    uncommitted.add(ledger.number(m));
                }
                if (uncommitted.size() >= batch || (m == null && !uncommitted.isEmpty())) {
                    try {
                        session.commit();
                        uncommitted.forEach(ledger::consumed);
                    } catch (TransactionRolledBackException e) {
                        rolledBack.incrementAndGet();
                    }
                    uncommitted.clear();
                }
            }
        }));
    }

    /** A MessageListener (AUTO_ACKNOWLEDGE) whose every message counts as consumed when it is called. */
    MessageListener listener(String who, TrafficLedger ledger) {
        return m -> {
            try {
                ledger.handedOut(m);
                ledger.consumed(ledger.number(m));
            } catch (JMSException | RuntimeException e) {
                problem(who + " threw " + e);
            }
        };
    }

    private Thread start(String who, Loop loop) {
        Thread thread = new Thread(() -> {
            try {
                loop.run();
            } catch (TransactionRolledBackException e) {
                problem(who + " threw " + e + " outside a commit");
            } catch (Exception | AssertionError e) {
                problem(who + " threw " + e);
            }
        }, who);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @FunctionalInterface
    private interface Loop {
        void run() throws Exception;
    }

    /** Ends the producers, waiting for each to return from the send it is in. */
    void stopProducers() throws InterruptedException {
        producing = false;
        join(producers);
    }

    /** Ends the consumers (a transacted one commits what it holds first). */
    void stopConsumers() throws InterruptedException {
        consuming = false;
        join(consumers);
    }

    private void join(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            if (t.isAlive()) {
                problem(t.getName() + " did not end within 30 s (blocked in a call?)");
            }
        }
    }

    /**
     * Waits until the condition holds, failing at once (naming them) when a problem reached the application; a
     * failure describes every ledger and connection of this traffic.
     */
    void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        try {
            eventually(what, timeout, () -> !problems.isEmpty() || condition.getAsBoolean());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; " + ledgers + "; " + watches, e);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("while waiting until " + what + ", exceptions reached the application: "
                    + problems + "; " + ledgers + "; " + watches);
        }
    }

    /**
     * Waits until the condition holds, at most {@code timeout}, and less when a problem reached the application; says
     * whether it holds. For a last wait whose failure the test's final assertions describe better.
     */
    boolean within(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        try {
            eventually("", timeout, () -> !problems.isEmpty() || condition.getAsBoolean());
        } catch (AssertionError e) {
            return false;
        }
        return condition.getAsBoolean();
    }

    /** Stops every loop and closes what the traffic was given. */
    @Override
    public void close() throws Exception {
        producing = false;
        consuming = false;
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // a connection the test broke: nothing left to release
            }
        }
    }

    /** The interruptions and restores a {@link TunnelConnectionListener} heard on one connection. */
    static final class Watch implements TunnelConnectionListener {
        private final String who;
        private final AtomicInteger interrupted = new AtomicInteger();
        private final AtomicInteger restored = new AtomicInteger();
        private final AtomicReference<String> restoredOn = new AtomicReference<>();

        Watch(String who) {
            this.who = who;
        }

        @Override
        public void interrupted(String brokerAddress, JMSException cause) {
            interrupted.incrementAndGet();
        }

        @Override
        public void restored(String brokerAddress) {
            restoredOn.set(brokerAddress);
            restored.incrementAndGet();
        }

        int interruptions() {
            return interrupted.get();
        }

        int restores() {
            return restored.get();
        }

        /** The address of the last {@code restored} call, or null. */
        String restoredOn() {
            return restoredOn.get();
        }

        @Override
        public String toString() {
            return who + " (interrupted " + interrupted + ", restored " + restored + ", last on " + restoredOn + ")";
        }
    }
}
