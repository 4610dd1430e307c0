package io.tunnelmq.jms.client;

import io.tunnelmq.jms.TemporaryDestinationOwner;
import io.tunnelmq.jms.TunnelDestination;
import io.tunnelmq.jms.TunnelTemporaryQueue;
import io.tunnelmq.jms.TunnelTemporaryTopic;
import io.tunnelmq.jms.message.WireDestinations;
import io.tunnelmq.protocol.message.WireDestination;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The temporary destinations of one connection. Their names embed the connection's unique id, so they never
 * clash; the broker registers each as owned by this connection, refuses consumers of other connections, and
 * deletes them when the connection ends. {@code delete()} checks the JMS rules here (no consumer of this
 * connection), then deletes the destination on the broker, which also refuses while it has consumers.
 */
final class TemporaryDestinations implements TemporaryDestinationOwner {
    private final JmsConnection connection;
    private final AtomicLong counter = new AtomicLong();
    private final Set<WireDestination> live = ConcurrentHashMap.newKeySet();
    private final Set<WireDestination> deleted = ConcurrentHashMap.newKeySet();

    TemporaryDestinations(JmsConnection connection) {
        this.connection = connection;
    }

    TunnelTemporaryQueue createQueue() throws JMSException {
        TunnelTemporaryQueue q = new TunnelTemporaryQueue(newName("queue"), this);
        create(WireDestinations.toWire(q));
        return q;
    }

    TunnelTemporaryTopic createTopic() throws JMSException {
        TunnelTemporaryTopic t = new TunnelTemporaryTopic(newName("topic"), this);
        create(WireDestinations.toWire(t));
        return t;
    }

    private void create(WireDestination d) throws JMSException {
        Await.result(connection.engine().createTemporary(d), connection.requestWaitMillis(),
                "creating temporary destination " + d.name());
        live.add(d);
    }

    private String newName(String kind) {
        return WireDestination.TEMPORARY_PREFIX + kind + "." + connection.uniqueId() + "." + counter.incrementAndGet();
    }

    /** Consumers may read only this connection's live temporary destinations. */
    void checkConsumable(WireDestination d) throws InvalidDestinationException {
        if (!d.kind().isTemporary()) {
            return;
        }
        if (deleted.contains(d)) {
            throw new InvalidDestinationException("temporary destination " + d.name() + " was deleted");
        }
        if (!live.contains(d)) {
            throw new InvalidDestinationException("temporary destination " + d.name() + " belongs to another"
                    + " connection; only the connection that created it may consume from it");
        }
    }

    void checkSendable(WireDestination d) throws InvalidDestinationException {
        if (d.kind().isTemporary() && deleted.contains(d)) {
            throw new InvalidDestinationException("temporary destination " + d.name() + " was deleted");
        }
    }

    @Override
    public void deleteTemporaryDestination(TunnelDestination destination) throws JMSException {
        connection.checkOpen();
        WireDestination d = WireDestinations.toWire(destination);
        if (connection.hasConsumerOn(d)) {
            throw JmsExceptions.illegalState("temporary destination " + d.name() + " still has consumers on this"
                    + " connection; close them before deleting it");
        }
        if (deleted.contains(d)) {
            return; // deleting twice is harmless
        }
        Await.result(connection.engine().deleteTemporary(d), connection.requestWaitMillis(),
                "deleting temporary destination " + d.name());
        live.remove(d);
        deleted.add(d);
    }
}
