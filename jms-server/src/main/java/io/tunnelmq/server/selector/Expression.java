package io.tunnelmq.server.selector;

import io.tunnelmq.protocol.message.WireMessage;

/**
 * A node of a compiled selector. Evaluation yields {@link Boolean#TRUE}, {@link Boolean#FALSE}, a {@link Long},
 * a {@link Double}, a {@link String}, or null for SQL's NULL / UNKNOWN.
 */
interface Expression {

    /** What a node yields, as far as the parser can tell: identifiers may yield anything. */
    enum Type { BOOLEAN, NUMERIC, STRING, ANY }

    /** @param deliveryCount the delivery this evaluation is for (1 = first): the value of JMSXDeliveryCount */
    Object evaluate(WireMessage message, int deliveryCount);

    Type type();
}
