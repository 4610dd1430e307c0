package io.tunnelmq.jms.client.fake;

import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineFactory;
import io.tunnelmq.jms.engine.EngineOptions;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory loopback broker implementing the engine interfaces, for testing the JMS facade without a
 * network. Everything runs on one "event loop" thread, like the real engine: futures complete and deliveries
 * arrive there. Queues keep peek-lock semantics (lock tokens, delivery count, abandon back to position,
 * release without count, dead-lettering after {@link #maxDeliveryCount}); consumers get deliveries only while
 * they have credit; transacted sessions stage sends and hold completions. Faults can be injected.
 */
public final class FakeBroker implements AutoCloseable {
    public static final String VERSION = "fake-broker-1.2";

    final ExecutorService loop = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-engine-loop");
        t.setDaemon(true);
        return t;
    });
    final AtomicLong lockTokens = new AtomicLong(1000);
    final AtomicLong ids = new AtomicLong();
    final Map<String, FakeQueue> queues = new HashMap<>();
    /** topic name → its subscription queues. */
    final Map<String, List<FakeQueue>> topics = new HashMap<>();
    final Map<Long, FakeQueue.Entry> locks = new HashMap<>();
    final List<FakeConnection> connections = new ArrayList<>();
    final Map<String, ErrorCode> failNext = new ConcurrentHashMap<>();
    final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<Runnable> heldConfirmations = new ArrayList<>();
    volatile boolean holdConfirmations;
    volatile long lockDurationMillis = 30_000;
    volatile int maxDeliveryCount = 10;

    /** The factory the facade connects through. */
    public EngineFactory factory() {
        return this::connect;
    }

    private CompletableFuture<EngineConnection> connect(EngineOptions options,
                                                        io.tunnelmq.jms.engine.ConnectionEvents events) {
        return call(() -> {
            ErrorCode injected = failNext.remove("connect");
            if (injected != null || "unreachable".equals(options.host())) {
                throw new EngineException(injected != null ? injected : ErrorCode.CONNECTION_FAILED,
                        "cannot connect to " + options.address() + ": connection refused");
            }
            if ("intruder".equals(options.user())) {
                throw new EngineException(ErrorCode.AUTHENTICATION_FAILED, "user intruder is not known");
            }
            if (options.clientId() != null) {
                for (FakeConnection c : connections) {
                    if (!c.closed && options.clientId().equals(c.clientId)) {
                        throw new EngineException(ErrorCode.INVALID_CLIENT_ID, "client ID '" + options.clientId()
                                + "' is in use by connection " + c.connectionId());
                    }
                }
            }
            FakeConnection c = new FakeConnection(this, "fake-" + ids.incrementAndGet(), options, events);
            connections.add(c);
            log.add("connect " + c.connectionId() + " user=" + options.user() + " clientId=" + options.clientId());
            return c;
        });
    }

    // ---- test controls ----

    /**
     * The next call of the operation fails with the code (connect, openSession, createConsumer, send, settle, commit;
     * "confirm": a send's confirmation, "held confirm": the next held confirmation let through).
     */
    public void failNext(String operation, ErrorCode code) {
        failNext.put(operation, code);
    }

    /** Fails every open connection as a lost socket would. */
    public void failConnections(ErrorCode code, String message) {
        run(() -> {
            for (FakeConnection c : new ArrayList<>(connections)) {
                c.fail(new EngineException(code, message));
            }
        });
    }

    /**
     * Interrupts every open connection as the failover layer does when it loses the broker: every lock is gone
     * (settling one fails naming it), each consumer hears {@code onInterrupted} and gets no deliveries, a
     * transaction in progress will fail its commit with TRANSACTION_ROLLED_BACK, and the connection hears
     * {@code interrupted}. {@link #restoreConnections} ends it.
     */
    public void interruptConnections(String message) {
        run(() -> {
            for (FakeConnection c : new ArrayList<>(connections)) {
                c.interrupt(new EngineException(ErrorCode.CONNECTION_FAILED, message));
            }
        });
    }

    /** Restores the interrupted connections, as served by {@code brokerAddress}: deliveries resume. */
    public void restoreConnections(String brokerAddress) {
        run(() -> {
            for (FakeConnection c : new ArrayList<>(connections)) {
                c.restore(brokerAddress);
            }
        });
    }

    /** While held, send confirmations wait; {@link #releaseConfirmations()} lets them through in order. */
    public void holdConfirmations() {
        holdConfirmations = true;
    }

    public void releaseConfirmations() {
        run(() -> {
            holdConfirmations = false;
            heldConfirmations.forEach(Runnable::run);
            heldConfirmations.clear();
        });
    }

    public void setLockDuration(long millis) {
        lockDurationMillis = millis;
    }

    /** Lets a lock run out now, as the broker's timer would: the message is abandoned. */
    public void expireLock(long token) {
        run(() -> {
            FakeQueue.Entry e = locks.get(token);
            if (e != null) {
                e.queue.expire(e);
            }
        });
    }

    /** Messages in a queue, locked or not (not the ones completed). */
    public int depth(String queue) {
        return call(() -> {
            FakeQueue q = queues.get(queue);
            return q == null ? 0 : q.size();
        }).join();
    }

    /** How many messages are locked to some consumer right now. */
    public int lockedCount() {
        return call(locks::size).join();
    }

    /** The messages of a queue (for example a dead-letter queue), in order. */
    public List<WireMessage> messages(String queue) {
        return call(() -> {
            FakeQueue q = queues.get(queue);
            return q == null ? List.<WireMessage>of() : q.messages();
        }).join();
    }

    /** Puts a message straight into a queue, as another client would. */
    public void enqueue(WireMessage message) {
        run(() -> route(message, null));
    }

    /** What happened, in order: connects, settlements, commits. */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** Waits until everything submitted to the loop so far has run. */
    public void sync() {
        call(() -> null).join();
    }

    /** How many connections are open. */
    public int openConnections() {
        return call(() -> (int) connections.stream().filter(c -> !c.closed).count()).join();
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }

    // ---- for the fake engine classes (on the loop) ----

    <T> CompletableFuture<T> call(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    CompletableFuture<Void> run(Runnable task) {
        return call(() -> {
            task.run();
            return null;
        });
    }

    void check(String operation) {
        ErrorCode code = failNext.remove(operation);
        if (code != null) {
            throw new EngineException(code, "injected failure of " + operation);
        }
    }

    FakeQueue queue(String name) {
        return queues.computeIfAbsent(name, n -> new FakeQueue(this, n));
    }

    void route(WireMessage m, FakeConnection origin) {
        WireDestination d = m.destination();
        if (d.kind().isQueue()) {
            queue(d.name()).add(m, origin);
        } else {
            for (FakeQueue sub : topics.getOrDefault(d.name(), List.of())) {
                sub.add(m, origin);
            }
        }
    }

    long lockedUntil() {
        return System.currentTimeMillis() + lockDurationMillis;
    }
}
