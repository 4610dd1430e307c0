package io.tunnelmq.server.management;

/**
 * One named (durable or shared) topic subscription as JMX shows it:
 * {@code io.tunnelmq:type=Subscription,broker="host:port",name="topic:clientId.name"}, registered while the broker
 * has it (a durable one until it is unsubscribed, a shared non-durable one while it has consumers). A topic's unnamed
 * subscriptions have no bean (one per consumer; the metrics sum them).
 */
public interface SubscriptionMXBean extends HeldMessages {
    /** The topic it subscribes to. */
    String getTopic();

    /** The client ID it belongs to; empty for a shared subscription made without one. */
    String getClientId();

    /** Its name, as the application gave it. */
    String getSubscriptionName();

    /** Whether it outlives its consumers (until unsubscribed). */
    boolean isDurable();

    /** Whether consumers may share it. */
    boolean isShared();

    /** Its message selector; empty for none. */
    String getSelector();

    /**
     * Unsubscribes a durable subscription: it goes with its messages (see {@link Management#delete}). Refused while it
     * has consumers or unacknowledged messages, and for a shared non-durable one (it ends with its last consumer).
     */
    void unsubscribe();
}
