package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledFuture;

/**
 * Reconnects after one loss: rounds over the address list (the address lost first) with back-off between them,
 * until one connects or the reconnect timeout has passed since the loss. Lives from the loss until the connection
 * is restored, gives up or is closed; a loss during restore goes on with the same deadline and back-off.
 */
final class Reconnector {
    private static final Logger log = LoggerFactory.getLogger(Reconnector.class);

    private final FailoverConnection connection;
    private final Dialer dialer;
    private final AddressList addresses;
    private final long timeoutMillis;
    private final long lostAtNanos = System.nanoTime();
    private final Backoff backoff;
    private String lostAddress;
    private String resumeId;
    private EngineException lastError;
    private ScheduledFuture<?> scheduled;
    private volatile boolean stopped;

    Reconnector(FailoverConnection connection, Dialer dialer, AddressList addresses, FailoverOptions options) {
        this.connection = connection;
        this.dialer = dialer;
        this.addresses = addresses;
        this.timeoutMillis = options.reconnectTimeoutMillis();
        this.backoff = new Backoff(options);
    }

    /** The link was lost (first, or again during restore): plans the next attempt. */
    synchronized void lost(Link link, EngineException cause) {
        lostAddress = link.address;
        resumeId = link.inner.connectionId();
        lastError = cause;
        next();
    }

    /** Ends the attempts (restored, given up or closed). */
    synchronized void stop() {
        stopped = true;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    boolean stopped() {
        return stopped;
    }

    private void next() {
        if (stopped) {
            return;
        }
        long delay = backoff.next();
        if (timeoutMillis > 0) {
            long left = timeoutMillis - elapsedMillis();
            if (left <= 0) {
                giveUp();
                return;
            }
            delay = Math.min(delay, left);
        }
        scheduled = FailoverTimer.schedule(this::attempt, delay);
    }

    private void attempt() {
        String from;
        String resume;
        synchronized (this) {
            if (stopped) {
                return;
            }
            from = lostAddress;
            resume = resumeId;
        }
        dialer.round(addresses.startingWith(from), resume).whenComplete((link, error) -> {
            if (error == null) {
                connection.reconnected(this, link);
                return;
            }
            synchronized (this) {
                lastError = EngineException.unwrap(error);
                log.debug("reconnect attempt failed: {}", lastError.getMessage());
                next();
            }
        });
    }

    private void giveUp() {
        EngineException last = lastError;
        EngineException cause = new EngineException(ErrorCode.CONNECTION_FAILED, "gave up reconnecting to "
                + addresses.all() + " after " + elapsedMillis() + " ms: "
                + (last == null ? "no attempt made" : last.getMessage()), last);
        stopped = true;
        // off this monitor: giving up calls the facade
        FailoverTimer.schedule(() -> connection.gaveUp(this, cause), 0);
    }

    private long elapsedMillis() {
        return (System.nanoTime() - lostAtNanos) / 1_000_000;
    }
}
