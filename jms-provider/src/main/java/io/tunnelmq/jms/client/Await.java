package io.tunnelmq.jms.client;

import io.tunnelmq.jms.message.ExceptionLinks;
import io.tunnelmq.protocol.ErrorCode;

import jakarta.jms.JMSException;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for an engine future from an application thread, turning every way it can end into a JMS outcome. */
final class Await {
    private Await() {
    }

    /**
     * The future's value, waiting at most {@code timeoutMillis}.
     *
     * @param timeoutMillis the bound, or {@link ConnectionSettings#NO_BOUND} to wait as long as the engine does
     *                      (a connection that reconnects forever)
     * @param what what is being waited for, for the error message ("opening a session")
     * @throws JMSException the mapped engine failure, a TIMEOUT error, or an interruption
     */
    static <T> T result(CompletableFuture<T> future, long timeoutMillis, String what) throws JMSException {
        try {
            return timeoutMillis == ConnectionSettings.NO_BOUND ? future.get()
                    : future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw JmsExceptions.toJms(e.getCause(), what + " failed");
        } catch (TimeoutException e) {
            throw ExceptionLinks.link(JmsExceptions.create(ErrorCode.TIMEOUT, what + " got no answer from the broker"
                    + " within " + timeoutMillis + " ms; the broker may be overloaded or unreachable"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ExceptionLinks.link(new JMSException(what + " was interrupted while waiting for the broker"), e);
        } catch (CancellationException e) {
            throw ExceptionLinks.link(new JMSException(what + " was cancelled"), e);
        }
    }
}
