package io.tunnelmq.jms.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * The session's one serial executor for application callbacks: MessageListeners (one message per task, round
 * robin over the session's consumers) and CompletionListeners. Never runs on the engine thread. Knows which
 * callback runs on the current thread, so the JMS rules about calls from inside callbacks can be checked, and
 * lets stop/recover/close wait until no listener is running.
 */
final class SessionDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(SessionDispatcher.class);

    /** The callback running on this thread. */
    private record Running(SessionDispatcher dispatcher, boolean completionListener) {
    }

    private static final ThreadLocal<Running> CURRENT = new ThreadLocal<>();

    private final JmsSession session;
    private final SerialExecutor executor;
    private final Object lock = new Object();
    // guarded by lock
    private JmsMessageConsumer listening;
    private boolean scheduled;
    private boolean stopped;
    private int pauses;
    private int rotation;

    SessionDispatcher(JmsSession session) {
        this.session = session;
        this.executor = DaemonExecutors.session();
    }

    /** The dispatcher whose callback runs on the calling thread, or null. */
    static SessionDispatcher current() {
        Running r = CURRENT.get();
        return r == null ? null : r.dispatcher;
    }

    /** True when the calling thread runs a CompletionListener of this session. */
    boolean inCompletionListener() {
        Running r = CURRENT.get();
        return r != null && r.dispatcher == this && r.completionListener;
    }

    /** True when the calling thread runs a callback of this session. */
    boolean isCurrentThread() {
        Running r = CURRENT.get();
        return r != null && r.dispatcher == this;
    }

    JmsSession session() {
        return session;
    }

    /** Makes sure a listener delivery runs soon if a consumer with a listener has a message. Thread-safe. */
    void scheduleDelivery() {
        synchronized (lock) {
            if (scheduled || stopped) {
                return;
            }
            scheduled = true;
        }
        submit(this::deliverOne, false);
    }

    /** Runs a CompletionListener task on the session's thread. */
    void runCompletion(Runnable task) {
        submit(task, true);
    }

    private void submit(Runnable task, boolean completion) {
        try {
            executor.execute(() -> {
                CURRENT.set(new Running(this, completion));
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.error("session {}: callback failed", session.logId(), e);
                } finally {
                    CURRENT.remove();
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("session {} is closed; callback dropped", session.logId());
        }
    }

    private void deliverOne() {
        JmsMessageConsumer consumer;
        synchronized (lock) {
            scheduled = false;
            // a quiet broker pauses listeners; JmsSession.handOutsResumed schedules them again
            if (stopped || pauses > 0 || !session.connection().isStarted()
                    || !session.connection().handOutsAllowed()) {
                return;
            }
            consumer = nextReady();
            listening = consumer;
        }
        if (consumer == null) {
            listenersIdle();
            return;
        }
        try {
            consumer.dispatchOne();
        } finally {
            synchronized (lock) {
                listening = null;
                lock.notifyAll();
            }
        }
        scheduleDelivery();
    }

    /** No listener of the session has a message to deliver: each waits on an empty buffer. */
    private void listenersIdle() {
        for (JmsMessageConsumer c : session.consumers()) {
            if (c.hasListener()) {
                c.waitingOnEmptyBuffer();
            }
        }
    }

    private JmsMessageConsumer nextReady() {
        List<JmsMessageConsumer> consumers = session.consumers();
        int n = consumers.size();
        for (int i = 0; i < n; i++) {
            JmsMessageConsumer c = consumers.get((rotation + i) % n);
            if (c.readyForListener()) {
                rotation = (rotation + i + 1) % n;
                return c;
            }
        }
        return null;
    }

    /** Waits until no MessageListener of this session runs; returns at once when called from one. */
    void awaitListenersIdle() {
        awaitIdle(null);
    }

    /** Waits until the consumer's MessageListener is not running; returns at once when called from a callback. */
    void awaitIdle(JmsMessageConsumer consumer) {
        if (isCurrentThread()) {
            return;
        }
        boolean interrupted = false;
        synchronized (lock) {
            while (listening != null && (consumer == null || listening == consumer)) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Holds listener delivery (recover, rollback) and waits for a running listener, unless called from it. */
    void pause() {
        synchronized (lock) {
            pauses++;
        }
        awaitListenersIdle();
    }

    void resume() {
        synchronized (lock) {
            pauses--;
        }
        scheduleDelivery();
    }

    /** Ends listener delivery for good (session close) and waits for a running listener. */
    void stopDelivery() {
        synchronized (lock) {
            stopped = true;
        }
        awaitListenersIdle();
    }

    /** Ends the thread once queued callbacks have run. */
    void shutdown() {
        executor.shutdown();
    }
}
