package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.Delivery;
import io.tunnelmq.jms.engine.DeliveryListener;
import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.jms.engine.Released;

/**
 * The listener a failover consumer gives the inner consumer of one link: translates lock tokens both ways between
 * the link and the facade. The inner consumer's end because its link was lost is not news to the facade (it hears
 * {@code onInterrupted}, and the consumer is opened again); any other end is.
 */
final class ConsumerLink implements DeliveryListener {
    private final FailoverConsumer consumer;
    private final Link link;

    ConsumerLink(FailoverConsumer consumer, Link link) {
        this.consumer = consumer;
        this.link = link;
    }

    @Override
    public void onDelivery(Delivery d) {
        long token = LockTokens.outer(link, d.lockToken());
        consumer.session().locks().delivered(token, consumer, d.message().messageId());
        consumer.facade().onDelivery(new Delivery(consumer.idFor(d.consumerId()), token, consumer.deliveryCount(d),
                d.lockedUntil(), d.message()));
    }

    @Override
    public Released onRevoke(long[] lockTokens) {
        return toInner(consumer.facade().onRevoke(LockTokens.outer(link, lockTokens)));
    }

    @Override
    public Released onStop() {
        return toInner(consumer.facade().onStop());
    }

    @Override
    public void onClosed(EngineException cause) {
        if (consumer.session().connection().isLoss(cause, link)) {
            return; // the connection restores it
        }
        consumer.ended(cause);
    }

    private Released toInner(Released outer) {
        if (outer == null || outer.lockTokens().length == 0) {
            return Released.NONE;
        }
        consumer.session().locks().released(outer.lockTokens());
        return new Released(LockTokens.innerAll(outer.lockTokens()), outer.messages(), outer.bytes());
    }
}
