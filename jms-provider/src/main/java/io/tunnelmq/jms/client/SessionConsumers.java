package io.tunnelmq.jms.client;

import io.tunnelmq.jms.engine.ConsumerSpec;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.message.WireMessages;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.message.WireDestination;

import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** The consumers of one session: creating them with the JMS argument rules, and acting on all of them. */
final class SessionConsumers {
    private final JmsSession session;
    private final List<JmsMessageConsumer> consumers = new CopyOnWriteArrayList<>();
    /** Whether {@link #listenerGiven} was called: never unset, a listener set and removed is looked at once more. */
    private volatile boolean listenerGiven;

    SessionConsumers(JmsSession session) {
        this.session = session;
    }

    /**
     * Opens a consumer.
     *
     * @param subscription durable or shared subscription name (checked by the caller), or null
     * @throws InvalidDestinationException for a null or unusable destination, a subscription on a queue, a durable
     *                                     subscription on a temporary topic, or another connection's temporary destination
     */
    JmsMessageConsumer open(Destination destination, String selector, boolean noLocal, String subscription,
                            boolean durable, boolean shared) throws JMSException {
        if (destination == null) {
            throw new InvalidDestinationException("the destination to consume from must not be null");
        }
        WireDestination target = WireMessages.toWireDestination(destination);
        if (subscription != null && target.kind().isQueue()) {
            throw new InvalidDestinationException("subscriptions are made on topics, not on queue " + target.name());
        }
        if (durable && target.kind().isTemporary()) {
            throw new InvalidDestinationException("a durable subscription cannot be made on temporary topic "
                    + target.name());
        }
        if (durable && !shared && session.connection().getClientID() == null) {
            throw JmsExceptions.illegalState("an unshared durable subscription needs a client ID: set clientID in"
                    + " the connection URL or call Connection.setClientID first");
        }
        session.connection().temporaryDestinations().checkConsumable(target);
        String sel = selector == null || selector.isBlank() ? null : selector;
        ConsumerSpec spec = new ConsumerSpec(target, sel, noLocal, subscription, durable, shared,
                session.connection().options().prefetch(), session.connection().options().prefetchBytes());
        JmsMessageConsumer c = new JmsMessageConsumer(session, destination, spec);
        consumers.add(c);
        try {
            c.open();
        } catch (JMSException | RuntimeException e) {
            consumers.remove(c);
            throw e;
        }
        if (session.connection().isStarted()) {
            c.wakeUp(); // also gives the credit of a consumer opened while the connection was starting
        } else {
            c.stopDelivery(); // opened while the connection was stopping: a no-op for one opened stopped
        }
        return c;
    }

    static String subscriptionName(String name) throws JMSException {
        if (name == null || name.isEmpty()) {
            throw new JMSException("a subscription name must not be null or empty");
        }
        String problem = Protocol.nameProblem("subscription name", name);
        if (problem != null) {
            throw new JMSException(problem);
        }
        return name;
    }

    /**
     * A consumer of the session is being given a MessageListener: from now on {@link #anyListener} looks at each.
     * Until then it need not, and a synchronous receive makes no iterator over the consumers for its check.
     */
    void listenerGiven() {
        listenerGiven = true;
    }

    /** Whether a consumer of the session delivers to a MessageListener. */
    boolean anyListener() {
        if (!listenerGiven) {
            return false;
        }
        for (JmsMessageConsumer c : consumers) {
            if (c.hasListener()) {
                return true;
            }
        }
        return false;
    }

    /** JMS forbids synchronous receive in a session that has message listeners. */
    void checkSynchronousReceiveAllowed() throws IllegalStateException {
        if (anyListener()) {
            throw JmsExceptions.illegalState("this session delivers to a MessageListener; a session must not"
                    + " mix synchronous receive with asynchronous delivery");
        }
    }

    void checkNoConsumerOn(String subscription) throws IllegalStateException {
        for (JmsMessageConsumer c : consumers) {
            if (subscription != null && subscription.equals(c.spec().subscriptionName())) {
                throw JmsExceptions.illegalState("subscription '" + subscription + "' still has an open consumer in"
                        + " this session; close it before unsubscribing");
            }
        }
    }

    boolean hasConsumerOn(WireDestination destination) {
        for (JmsMessageConsumer c : consumers) {
            if (c.spec().destination().equals(destination)) {
                return true;
            }
        }
        return false;
    }

    void connectionStarted() {
        consumers.forEach(JmsMessageConsumer::wakeUp);
    }

    /** The connection stops: every consumer's broker credit goes to 0 and its buffer back to the queue. */
    List<CompletableFuture<Void>> connectionStopped() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (JmsMessageConsumer c : consumers) {
            stopping.add(c.stopDelivery());
        }
        return stopping;
    }

    void connectionFailed(EngineException cause) {
        consumers.forEach(c -> c.connectionFailed(cause));
    }

    void connectionRestored() {
        consumers.forEach(JmsMessageConsumer::connectionRestored);
    }

    void handOutsResumed() {
        consumers.forEach(JmsMessageConsumer::handOutsResumed);
    }

    /** Starts closing every consumer; the futures complete when the broker closed them. */
    List<CompletableFuture<Void>> closeAll() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (JmsMessageConsumer c : consumers) {
            closing.add(c.closeAsync().exceptionally(e -> null));
        }
        return closing;
    }

    void remove(JmsMessageConsumer c) {
        consumers.remove(c);
    }

    void clear() {
        consumers.clear();
    }

    /** A live view, safe to iterate while consumers come and go. */
    List<JmsMessageConsumer> list() {
        return consumers;
    }
}
