package io.tunnelmq.server.store;

import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireMessage;

import java.util.Objects;

/** One change in a {@link MessageStore} batch. Ids are broker-wide, > 0, issued by {@link StoreIds}. */
public sealed interface StoreOp {

    /** A message added to a queue (delivery count 1). */
    record AddMessage(long id, StoredQueue queue, WireMessage message) implements StoreOp {
        public AddMessage {
            requireId(id);
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(message, "message");
        }
    }

    /** A message deleted: completed, expired, dropped, or moved away (with an {@link AddMessage} in the same batch). */
    record RemoveMessage(long id) implements StoreOp {
        public RemoveMessage {
            requireId(id);
        }
    }

    /** The delivery count the message's next delivery carries. */
    record SetDeliveryCount(long id, int deliveryCount) implements StoreOp {
        public SetDeliveryCount {
            requireId(id);
            if (deliveryCount < 1) {
                throw new IllegalArgumentException("delivery count must be >= 1, was " + deliveryCount);
            }
        }
    }

    /** A durable subscription created. */
    record AddSubscription(long id, DurableSubscription subscription) implements StoreOp {
        public AddSubscription {
            requireId(id);
            Objects.requireNonNull(subscription, "subscription");
        }
    }

    /** A durable subscription removed (its messages are removed by their own ops, or dropped at recovery). */
    record RemoveSubscription(long id) implements StoreOp {
        public RemoveSubscription {
            requireId(id);
        }
    }

    /**
     * A producer enters the duplicate window: the highest sequence stored for it (in the same batch as that
     * message). Lives until {@link RemoveProducer}, whatever happens to its messages.
     */
    record AddProducer(long id, ProducerStamp last, long storedAtMillis) implements StoreOp {
        public AddProducer {
            requireId(id);
            Objects.requireNonNull(last, "last");
        }
    }

    /** A later sequence stored for a producer in the window (in the same batch as that message). */
    record SetProducerSequence(long id, long sequence, long storedAtMillis) implements StoreOp {
        public SetProducerSequence {
            requireId(id);
            if (sequence <= 0) {
                throw new IllegalArgumentException("producer sequence must be > 0, was " + sequence);
            }
        }
    }

    /** A producer left the duplicate window. */
    record RemoveProducer(long id) implements StoreOp {
        public RemoveProducer {
            requireId(id);
        }
    }

    /**
     * A non-durable topic subscription of this broker in a store other brokers share ({@link SharedQueues}): their
     * publications reach it ({@link PublishToSubscriptions}); it goes with this broker. Only a shared store takes it.
     */
    record AddBrokerSubscription(long id, String topic) implements StoreOp {
        public AddBrokerSubscription {
            requireId(id);
            Objects.requireNonNull(topic, "topic");
        }
    }

    /**
     * A message published to a topic, copied by the store to every subscription of the topic it holds, on every
     * broker that shares it (each copy gets an id of its own; the subscription's broker filters by selector and
     * no-local when it claims the copy). Only a shared store ({@link SharedQueues}) takes it.
     *
     * @param publisher the publishing connection's id, for no-local subscriptions (null: none)
     */
    record PublishToSubscriptions(String topic, WireMessage message, String publisher) implements StoreOp {
        public PublishToSubscriptions {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A temporary destination made by a connection of this broker, in a store other brokers share: they store what
     * is sent to it while it exists. Made again by its connection on another broker, it passes to that one.
     */
    record AddTemporary(String name, boolean topic, String connectionId) implements StoreOp {
        public AddTemporary {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(connectionId, "connectionId");
        }
    }

    /** A temporary destination of this broker deleted (with what waits in it), unless another broker has it now. */
    record RemoveTemporary(String name) implements StoreOp {
        public RemoveTemporary {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A message for another broker's temporary queue: stored only while that queue exists (a message sent to one
     * being deleted goes with it, as if it had been in it).
     */
    record AddToTemporary(long id, String queueName, WireMessage message) implements StoreOp {
        public AddToTemporary {
            requireId(id);
            Objects.requireNonNull(queueName, "queueName");
            Objects.requireNonNull(message, "message");
        }
    }

    private static void requireId(long id) {
        if (id <= 0) {
            throw new IllegalArgumentException("store id must be > 0, was " + id);
        }
    }
}
