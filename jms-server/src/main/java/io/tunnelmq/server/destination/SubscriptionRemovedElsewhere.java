package io.tunnelmq.server.destination;

import io.tunnelmq.protocol.ErrorCode;

/**
 * A consumer's durable subscription was unsubscribed through another broker sharing the store as the consumer opened
 * here: this broker still knew it, the store no longer had it. The consumer was never started; opened again, it makes
 * the subscription anew, which the session does once before passing this refusal on.
 */
public final class SubscriptionRemovedElsewhere extends BrokerException {
    private static final long serialVersionUID = 1L;

    SubscriptionRemovedElsewhere(String message) {
        super(ErrorCode.ILLEGAL_STATE, message);
    }
}
