package io.tunnelmq.jms.client;

import io.tunnelmq.jms.ConnectionOptions;
import io.tunnelmq.jms.engine.ConnectionEvents;
import io.tunnelmq.jms.engine.EngineConnection;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.EngineFactory;

import jakarta.jms.JMSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine connection under a {@link JmsConnection}, and what it tells about the broker. The connection opens one
 * at first and another when the application sets the client ID (it travels in the handshake). Each is a generation
 * of its own: only the current one's events — failed, broker lost and reconnecting, restored, heard again after a
 * quiet spell — reach the sessions and the application's listeners, so closing a replaced one is no failure.
 */
final class ConnectionEngine {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionEngine.class);

    private final JmsConnection connection;
    private final EngineFactory factory;
    private final ConnectionSessions sessions;
    private final ConnectionListeners listeners;
    private final AtomicInteger generations = new AtomicInteger();
    private volatile int activeGeneration;
    private volatile EngineConnection current;
    /** The broker serving the connection as far as the facade knows: the first of the list, then each restored. */
    private volatile String broker;

    ConnectionEngine(JmsConnection connection, EngineFactory factory, String firstBroker, ConnectionSessions sessions,
                     ConnectionListeners listeners) {
        this.connection = connection;
        this.factory = factory;
        this.broker = firstBroker;
        this.sessions = sessions;
        this.listeners = listeners;
    }

    /** The engine connection in use; null until the first is open. */
    EngineConnection current() {
        return current;
    }

    /** The engine factory connections are made with: the failover layer's when the connection reconnects. */
    EngineFactory factory() {
        return factory;
    }

    /**
     * Opens the first engine connection.
     *
     * @throws JMSException naming the broker, with the engine's failure as cause and linked exception
     */
    void open(ConnectionOptions options) throws JMSException {
        current = connect(options);
    }

    /** Opens an engine connection with new options (a client ID) in place of the current one, which is closed. */
    void replace(ConnectionOptions options) throws JMSException {
        EngineConnection replacement = connect(options);
        EngineConnection old = current;
        current = replacement;
        old.close().whenComplete((v, e) -> {
            if (e != null) {
                LOG.debug("closing the pre-client-ID connection {} failed: {}", old.connectionId(), e.toString());
            }
        });
    }

    /** Closes the engine connection, waiting at most {@code timeoutMillis}: the connection closes, best effort. */
    void close(long timeoutMillis) {
        try {
            Await.result(current.close(), timeoutMillis, "closing connection " + connection.connectionId());
        } catch (JMSException e) {
            LOG.debug("connection {}: {}", connection.connectionId(), e.getMessage());
        }
    }

    private EngineConnection connect(ConnectionOptions opts) throws JMSException {
        Generation generation = new Generation(generations.incrementAndGet());
        String what = "connecting to the TunnelMQ broker at " + (opts.addresses().size() == 1 ? opts.address()
                : "any of " + String.join(", ", opts.addresses()));
        CompletableFuture<EngineConnection> future;
        try {
            future = factory.connect(ConnectionSettings.forEngine(opts), generation);
        } catch (RuntimeException e) {
            throw JmsExceptions.toJms(e, what + " failed");
        }
        try {
            EngineConnection connected = Await.result(future, ConnectionSettings.connectWaitMillis(opts), what);
            activeGeneration = generation.number;
            return connected;
        } catch (JMSException e) {
            future.thenAccept(EngineConnection::close); // in case it connects after we gave up
            throw e;
        }
    }

    /** The events of one engine connection, on the engine thread; heard only while it is the current one. */
    private final class Generation implements ConnectionEvents {
        private final int number;

        Generation(int number) {
            this.number = number;
        }

        private boolean heard() {
            return number == activeGeneration && !connection.isClosed();
        }

        @Override
        public void connectionFailed(EngineException cause) {
            if (heard()) {
                failed(cause);
            }
        }

        @Override
        public void brokerHeardAgain() {
            if (heard()) {
                sessions.handOutsResumed();
            }
        }

        @Override
        public void interrupted(EngineException cause) {
            if (heard()) {
                ConnectionEngine.this.interrupted(cause);
            }
        }

        @Override
        public void restored(String brokerAddress) {
            if (heard()) {
                ConnectionEngine.this.restored(brokerAddress);
            }
        }
    }

    private void failed(EngineException cause) {
        LOG.warn("connection {} to {} failed: {}", connection.connectionId(), connection.options().address(),
                cause.getMessage());
        sessions.connectionFailed(cause);
        listeners.failed(JmsExceptions.toJms(cause, "the connection to the TunnelMQ broker at " + broker
                + " failed"));
    }

    /** The failover layer lost the broker and reconnects; consumers hear it themselves. */
    private void interrupted(EngineException cause) {
        String lost = broker;
        LOG.warn("connection {} lost the broker at {}, reconnecting: {}", connection.connectionId(), lost,
                cause.getMessage());
        listeners.interrupted(lost, JmsExceptions.toJms(cause, "the connection to the TunnelMQ broker at " + lost
                + " was lost; reconnecting"));
    }

    /** The failover layer restored the connection, sessions and consumers included. */
    private void restored(String brokerAddress) {
        broker = brokerAddress;
        LOG.info("connection {} restored on the broker at {}", connection.connectionId(), brokerAddress);
        sessions.connectionRestored();
        listeners.restored(brokerAddress);
    }
}
