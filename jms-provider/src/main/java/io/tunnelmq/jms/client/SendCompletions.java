package io.tunnelmq.jms.client;

import io.tunnelmq.protocol.ErrorCode;

import jakarta.jms.CompletionListener;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The session's asynchronous sends (JMS 2.0 {@code send(..., CompletionListener)}). Completion listeners run on
 * the session's callback thread in send order, each once the broker confirmed its send (or failed it).
 * Close and commit wait here until every callback has returned.
 */
final class SendCompletions {
    private static final Logger LOG = LoggerFactory.getLogger(SendCompletions.class);

    private static final class Pending {
        final Object owner;
        final Message message;
        final CompletionListener listener;
        volatile boolean done;
        volatile Throwable failure;

        Pending(Object owner, Message message, CompletionListener listener) {
            this.owner = owner;
            this.message = message;
            this.listener = listener;
        }
    }

    private final JmsSession session;
    private final SessionDispatcher dispatcher;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>(); // guarded by this
    /** The sender whose callback runs now, for the "close your own producer" rule. */
    private volatile Object runningOwner;

    SendCompletions(JmsSession session, SessionDispatcher dispatcher) {
        this.session = session;
        this.dispatcher = dispatcher;
    }

    /** Tracks a send; its listener is called when {@code confirmed} completes and every earlier one was called. */
    void track(Object owner, Message message, CompletionListener listener, CompletableFuture<Void> confirmed) {
        Pending p = new Pending(owner, message, listener);
        synchronized (this) {
            pending.add(p);
        }
        confirmed.whenComplete((v, e) -> {
            p.failure = e;
            p.done = true;
            synchronized (this) {
                notifyAll();
            }
            dispatcher.runCompletion(this::deliverReady);
        });
    }

    /** Calls the listeners of confirmed sends at the head of the queue. On the session's callback thread. */
    private void deliverReady() {
        while (true) {
            Pending p;
            synchronized (this) {
                p = pending.peek();
                if (p == null || !p.done) {
                    return;
                }
                pending.poll();
            }
            runningOwner = p.owner;
            try {
                if (p.failure == null) {
                    p.listener.onCompletion(p.message);
                } else {
                    p.listener.onException(p.message, JmsExceptions.toJms(p.failure,
                            "asynchronous send on session " + session.logId() + " failed"));
                }
            } catch (RuntimeException e) {
                LOG.warn("session {}: CompletionListener threw", session.logId(), e);
            } finally {
                runningOwner = null;
                synchronized (this) {
                    notifyAll();
                }
            }
        }
    }

    /** True when the calling thread runs a CompletionListener of a send made by {@code owner}. */
    boolean inCallbackOf(Object owner) {
        return dispatcher.inCompletionListener() && runningOwner == owner;
    }

    /**
     * Waits until the listeners of every tracked send of {@code owner} (of all sends when null) have returned.
     * Called from the session's own callback thread, it runs the due callbacks itself.
     *
     * @throws JMSException if the broker has not confirmed them within the timeout
     */
    void awaitCallbacks(Object owner, long timeoutMillis) throws JMSException {
        boolean onCallbackThread = dispatcher.isCurrentThread();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        boolean interrupted = false;
        try {
            while (true) {
                if (onCallbackThread) {
                    deliverReady();
                }
                synchronized (this) {
                    Pending head = pending.peek();
                    if (!hasPendingOf(owner)) {
                        return;
                    }
                    if (onCallbackThread && head != null && head.done) {
                        continue;
                    }
                    long left = timeoutMillis == ConnectionSettings.NO_BOUND ? Long.MAX_VALUE
                            : deadline - System.nanoTime();
                    if (left <= 0) {
                        throw JmsExceptions.create(ErrorCode.TIMEOUT, "session " + session.logId() + ": "
                                + pending.size() + " asynchronous sends were not confirmed within "
                                + timeoutMillis + " ms");
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    } catch (InterruptedException e) {
                        interrupted = true;
                        throw new JMSException("interrupted while waiting for asynchronous sends to complete");
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean hasPendingOf(Object owner) {
        if (owner == null) {
            return !pending.isEmpty();
        }
        for (Pending p : pending) {
            if (p.owner == owner) {
                return true;
            }
        }
        return false;
    }
}
