package io.tunnelmq.jms.client;

import io.tunnelmq.jms.TunnelConnectionListener;

import jakarta.jms.ExceptionListener;
import jakarta.jms.JMSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;

/**
 * A connection's application listeners (its ExceptionListener and its {@link TunnelConnectionListener}) and the one
 * serial thread that calls them: events arrive on the engine thread, which must never run application code, and
 * reach the listeners in the order they happened. A listener that throws is logged and ignored.
 */
final class ConnectionListeners {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionListeners.class);

    private final ThreadPoolExecutor executor;
    private final Supplier<String> connectionId;
    private volatile ExceptionListener exceptionListener;
    private volatile TunnelConnectionListener connectionListener;

    ConnectionListeners(String brokerAddress, Supplier<String> connectionId) {
        this.executor = DaemonExecutors.serial("tunnelmq-connection-listener-" + brokerAddress);
        this.connectionId = connectionId;
    }

    ExceptionListener exceptionListener() {
        return exceptionListener;
    }

    void exceptionListener(ExceptionListener listener) {
        exceptionListener = listener;
    }

    TunnelConnectionListener connectionListener() {
        return connectionListener;
    }

    void connectionListener(TunnelConnectionListener listener) {
        connectionListener = listener;
    }

    /** The connection failed for good: tells the ExceptionListener set now, if any. */
    void failed(JMSException reported) {
        ExceptionListener l = exceptionListener;
        if (l != null) {
            run("ExceptionListener", () -> l.onException(reported));
        }
    }

    /** The connection lost its broker and reconnects: tells the connection listener set now, if any. */
    void interrupted(String brokerAddress, JMSException cause) {
        TunnelConnectionListener l = connectionListener;
        if (l != null) {
            run("TunnelConnectionListener.interrupted", () -> l.interrupted(brokerAddress, cause));
        }
    }

    /** The connection is back: tells the connection listener set now, if any. */
    void restored(String brokerAddress) {
        TunnelConnectionListener l = connectionListener;
        if (l != null) {
            run("TunnelConnectionListener.restored", () -> l.restored(brokerAddress));
        }
    }

    /** No listener is called after this (the connection closed). */
    void shutdown() {
        executor.shutdown();
    }

    private void run(String what, Runnable call) {
        try {
            executor.execute(() -> {
                try {
                    call.run();
                } catch (RuntimeException e) {
                    LOG.warn("{} of connection {} threw; ignored", what, connectionId.get(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("connection {} closed before its {} could be told", connectionId.get(), what);
        }
    }
}
