package io.tunnelmq.jms.client;

import io.tunnelmq.jms.TunnelSession;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.protocol.message.WireDestination;

import jakarta.jms.JMSException;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** The sessions of one connection: the JMS rules for a new session's mode, and acting on all of them. */
final class ConnectionSessions {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionSessions.class);

    private final JmsConnection connection;
    private final List<JmsSession> sessions = new CopyOnWriteArrayList<>();

    ConnectionSessions(JmsConnection connection) {
        this.connection = connection;
    }

    /**
     * The session mode for createSession's arguments.
     *
     * @throws JMSException if a non-transacted session asks for an unknown acknowledge mode
     */
    static int mode(boolean transacted, int acknowledgeMode) throws JMSException {
        if (transacted) {
            return Session.SESSION_TRANSACTED;
        }
        return switch (acknowledgeMode) {
            case Session.AUTO_ACKNOWLEDGE, Session.CLIENT_ACKNOWLEDGE, Session.DUPS_OK_ACKNOWLEDGE,
                    TunnelSession.INDIVIDUAL_ACKNOWLEDGE -> acknowledgeMode;
            default -> throw new JMSException("acknowledge mode " + acknowledgeMode + " is not valid for a"
                    + " non-transacted session; use Session.AUTO_ACKNOWLEDGE (1), CLIENT_ACKNOWLEDGE (2),"
                    + " DUPS_OK_ACKNOWLEDGE (3) or TunnelSession.INDIVIDUAL_ACKNOWLEDGE (101), or ask for a"
                    + " transacted session");
        };
    }

    void add(JmsSession session) {
        sessions.add(session);
    }

    void remove(JmsSession session) {
        sessions.remove(session);
    }

    /** A copy of the sessions open now. */
    List<JmsSession> snapshot() {
        return new ArrayList<>(sessions);
    }

    void connectionStarted() {
        for (JmsSession s : sessions) {
            s.connectionStarted();
        }
    }

    /**
     * The connection stops: waits for every listener to return, then gives the buffered messages nobody saw back to
     * the queue for competing consumers (start() asks again); waits for the broker at most a request's time.
     */
    void connectionStopped() {
        for (JmsSession s : sessions) {
            s.awaitListenersIdle();
        }
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (JmsSession s : sessions) {
            stopping.addAll(s.connectionStopped());
        }
        try {
            Await.result(CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)),
                    connection.requestWaitMillis(), "stopping connection " + connection.connectionId());
        } catch (JMSException e) {
            // the messages are still locked to this connection and come back when their locks expire
            LOG.debug("connection {}: releasing buffered messages on stop: {}", connection.connectionId(),
                    e.getMessage());
        }
    }

    /** The connection closes: closes the sessions it had, waiting for the broker at most {@code timeoutMillis}. */
    void close(List<JmsSession> closing, long timeoutMillis) {
        List<CompletableFuture<Void>> remote = new ArrayList<>();
        for (JmsSession s : closing) {
            remote.add(s.closeLocally());
        }
        try {
            Await.result(CompletableFuture.allOf(remote.toArray(CompletableFuture[]::new)), timeoutMillis,
                    "closing the sessions of connection " + connection.connectionId());
        } catch (JMSException e) {
            LOG.debug("connection {}: closing sessions: {}", connection.connectionId(), e.getMessage());
        }
        sessions.clear();
    }

    void connectionFailed(EngineException cause) {
        for (JmsSession s : sessions) {
            s.connectionFailed(cause);
        }
    }

    void connectionRestored() {
        sessions.forEach(JmsSession::connectionRestored);
    }

    void handOutsResumed() {
        sessions.forEach(JmsSession::handOutsResumed);
    }

    /** True if a consumer of this connection reads from the destination. */
    boolean hasConsumerOn(WireDestination destination) {
        for (JmsSession s : sessions) {
            if (s.hasConsumerOn(destination)) {
                return true;
            }
        }
        return false;
    }
}
