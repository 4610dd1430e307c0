package io.tunnelmq.jms.client;

import io.tunnelmq.jms.TemporaryDestinationOwner;
import io.tunnelmq.jms.TunnelDestination;
import io.tunnelmq.jms.TunnelTemporaryQueue;
import io.tunnelmq.jms.TunnelTemporaryTopic;
import io.tunnelmq.protocol.message.WireDestination;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The temporary destinations of one connection. Their names embed the connection's unique id, so they never
 * clash; the broker creates them on first use. Only the creating connection may consume from them.
 *
 * <p>The engine contract has no operation to delete a destination on the broker: {@code delete()} checks the
 * JMS rules, then retires the destination in this connection (no new consumers, no sends from it). The broker
 * removes the physical destination when it drops temporary destinations of a closed connection.
 */
final class TemporaryDestinations implements TemporaryDestinationOwner {
    private final JmsConnection connection;
    private final AtomicLong counter = new AtomicLong();
    private final Set<WireDestination> live = ConcurrentHashMap.newKeySet();
    private final Set<WireDestination> deleted = ConcurrentHashMap.newKeySet();

    TemporaryDestinations(JmsConnection connection) {
        this.connection = connection;
    }

    TunnelTemporaryQueue createQueue() {
        TunnelTemporaryQueue q = new TunnelTemporaryQueue(newName("queue"), this);
        live.add(q.toWire());
        return q;
    }

    TunnelTemporaryTopic createTopic() {
        TunnelTemporaryTopic t = new TunnelTemporaryTopic(newName("topic"), this);
        live.add(t.toWire());
        return t;
    }

    private String newName(String kind) {
        return "tmp." + kind + "." + connection.uniqueId() + "." + counter.incrementAndGet();
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
        WireDestination d = destination.toWire();
        if (connection.hasConsumerOn(d)) {
            throw JmsExceptions.illegalState("temporary destination " + d.name() + " still has consumers on this"
                    + " connection; close them before deleting it");
        }
        if (live.remove(d)) {
            deleted.add(d);
        }
    }
}
