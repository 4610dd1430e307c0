package io.tunnelmq.server.destination;

import io.tunnelmq.server.queue.PeekLockQueue;

/**
 * A named (durable or shared) topic subscription as monitoring sees it.
 *
 * @param topic    the topic it subscribes to
 * @param clientId the client ID it belongs to, or null (a shared subscription made without one)
 * @param name     its name
 * @param durable  whether it outlives its consumers
 * @param shared   whether consumers may share it
 * @param queue    its queue
 * @param storeId  its id in the message store; 0 for one that is not stored
 * @param selector its message selector, or null
 */
public record NamedSubscription(String topic, String clientId, String name, boolean durable, boolean shared,
                                PeekLockQueue queue, long storeId, String selector) {

    /**
     * The name operators know it by, {@code topic:clientId.name} ({@code topic:name} without a client ID): in the
     * metrics' {@code queue} label, the console, the admin command and JMX.
     */
    public String operatorName() {
        return topic + ":" + (clientId == null ? "" : clientId + ".") + name;
    }
}
