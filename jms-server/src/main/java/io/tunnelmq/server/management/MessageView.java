package io.tunnelmq.server.management;

import java.util.Map;

/**
 * One message on a queue as an operator sees it ({@link Management#browse}).
 *
 * @param messageId      JMSMessageID, or null when the producer disabled ids
 * @param type           the JMS message type: {@code Text}, {@code Bytes}, {@code Map}, {@code Stream}, {@code Object}
 *                       or {@code Message}
 * @param priority       JMSPriority, 0..9
 * @param timestamp      JMSTimestamp (epoch millis), 0 when disabled
 * @param expiration     JMSExpiration (epoch millis), 0 = never
 * @param persistent     JMSDeliveryMode is PERSISTENT
 * @param deliveryCount  the count its next (or, when locked, current) delivery carries: 1 until it was abandoned
 * @param correlationId  JMSCorrelationID, or null
 * @param properties     its properties (application, JMSX and JMS_TMQ_ ones); never null
 * @param bodyPreview    the first {@value MessageViews#PREVIEW_CHARS} characters of a text body, a map body as
 *                       {@code {k=v, ...}}, the hex of the first {@value MessageViews#PREVIEW_BYTES} bytes of any
 *                       other body; "" without a body; never null
 * @param bodySize       bytes of the encoded body
 * @param state          {@code available} (waiting for a consumer), {@code locked} (delivered, not settled yet),
 *                       {@code scheduled} (waiting for its delivery time or redelivery delay), or over a store shared
 *                       with other brokers {@code stored} (in the store, not held by this broker)
 * @param lockOwner      who holds the lock, e.g. {@code connection 7 (alice@127.0.0.1:53412, client ID app1)}; null
 *                       unless locked
 * @param lockMillisLeft how long the lock lasts unless renewed or settled; -1 unless locked
 */
public record MessageView(String messageId, String type, int priority, long timestamp, long expiration,
                          boolean persistent, int deliveryCount, String correlationId, Map<String, Object> properties,
                          String bodyPreview, int bodySize, String state, String lockOwner, long lockMillisLeft) {
}
