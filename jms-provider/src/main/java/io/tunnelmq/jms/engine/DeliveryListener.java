package io.tunnelmq.jms.engine;

/** Receives a consumer's deliveries. Called on the event loop: must not block or run application code. */
public interface DeliveryListener {

    /** One delivery, in the order the broker sent them. */
    void onDelivery(Delivery delivery);

    /**
     * The consumer ended without the facade closing it: the broker closed it, or its session or connection
     * failed. No further deliveries follow.
     */
    void onClosed(EngineException cause);
}
