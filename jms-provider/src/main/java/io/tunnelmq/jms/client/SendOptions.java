package io.tunnelmq.jms.client;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;

/**
 * How a producer stamps and sends a message.
 *
 * @param deliveryMode     PERSISTENT or NON_PERSISTENT
 * @param priority         0..9
 * @param timeToLive       milliseconds, 0 = never expires
 * @param deliveryDelay    milliseconds before the message may be delivered
 * @param disableMessageId leave JMSMessageID null
 * @param disableTimestamp leave JMSTimestamp 0
 */
record SendOptions(int deliveryMode, int priority, long timeToLive, long deliveryDelay, boolean disableMessageId,
                   boolean disableTimestamp) {

    static final SendOptions DEFAULTS = new SendOptions(DeliveryMode.PERSISTENT, 4, 0, 0, false, false);

    static void checkDeliveryMode(int deliveryMode) throws JMSException {
        if (deliveryMode != DeliveryMode.PERSISTENT && deliveryMode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSException("delivery mode " + deliveryMode + " is invalid; use DeliveryMode.PERSISTENT ("
                    + DeliveryMode.PERSISTENT + ") or DeliveryMode.NON_PERSISTENT (" + DeliveryMode.NON_PERSISTENT + ")");
        }
    }

    static void checkPriority(int priority) throws JMSException {
        if (priority < 0 || priority > 9) {
            throw new JMSException("priority " + priority + " is outside the JMS range 0..9");
        }
    }

    static void checkDeliveryDelay(long deliveryDelay) throws JMSException {
        if (deliveryDelay < 0) {
            throw new JMSException("delivery delay " + deliveryDelay + " ms must not be negative");
        }
    }

    SendOptions withDeliveryMode(int v) {
        return new SendOptions(v, priority, timeToLive, deliveryDelay, disableMessageId, disableTimestamp);
    }

    SendOptions withPriority(int v) {
        return new SendOptions(deliveryMode, v, timeToLive, deliveryDelay, disableMessageId, disableTimestamp);
    }

    SendOptions withTimeToLive(long v) {
        return new SendOptions(deliveryMode, priority, v, deliveryDelay, disableMessageId, disableTimestamp);
    }

    SendOptions withDeliveryDelay(long v) {
        return new SendOptions(deliveryMode, priority, timeToLive, v, disableMessageId, disableTimestamp);
    }

    SendOptions withDisableMessageId(boolean v) {
        return new SendOptions(deliveryMode, priority, timeToLive, deliveryDelay, v, disableTimestamp);
    }

    SendOptions withDisableTimestamp(boolean v) {
        return new SendOptions(deliveryMode, priority, timeToLive, deliveryDelay, disableMessageId, v);
    }
}
