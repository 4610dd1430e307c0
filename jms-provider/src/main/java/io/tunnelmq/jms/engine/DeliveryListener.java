package io.tunnelmq.jms.engine;

/** Receives a consumer's deliveries. Called on the event loop: must not block or run application code. */
public interface DeliveryListener {

    /** One delivery, in the order the broker sent them. */
    void onDelivery(Delivery delivery);

    /**
     * The broker asks for these prefetched messages back, to give them to an idle competing consumer. Called on
     * the event loop: the facade removes from its buffer, atomically with respect to the application taking
     * messages, those it still holds unseen, and returns their tokens; the engine releases them (delivery count
     * unchanged) and hands their credit back (messages and bytes). Messages the application already took are kept.
     *
     * @return the tokens released and their size in all, possibly {@link Released#NONE}, never null
     */
    default Released onRevoke(long[] lockTokens) {
        return Released.NONE;
    }

    /**
     * The connection stops: the broker no longer delivers to this consumer (its credit is set to 0), and the facade
     * gives up every message still in its buffer, atomically with respect to the application taking messages. The
     * engine releases them (delivery count unchanged). Called on the event loop.
     *
     * @return the tokens given up and their size in all, possibly {@link Released#NONE}, never null
     */
    default Released onStop() {
        return Released.NONE;
    }

    /**
     * The connection lost its broker and is reconnecting: every lock of this consumer is gone (the broker releases
     * the unseen messages and abandons the seen ones; a restarted broker has forgotten them). The facade drops every
     * message still in its buffer without settling it, atomically with respect to the application taking messages;
     * locks of messages the application holds are lost (settling them fails naming their tokens). Deliveries resume
     * on this same listener once the connection is restored. Called on an engine thread.
     */
    default void onInterrupted() {
    }

    /**
     * The consumer ended without the facade closing it: the broker closed it, or its session or connection
     * failed. No further deliveries follow.
     */
    void onClosed(EngineException cause);
}
