package io.tunnelmq.server.management;

import io.tunnelmq.server.destination.NamedSubscription;

/** One named subscription's {@link SubscriptionMXBean}. */
final class SubscriptionBean extends HeldMessagesBean implements SubscriptionMXBean {
    private final NamedSubscription subscription;

    SubscriptionBean(NamedSubscription subscription, Management management) {
        super(subscription.queue(), subscription.operatorName(), management);
        this.subscription = subscription;
    }

    @Override
    public String getTopic() {
        return subscription.topic();
    }

    @Override
    public String getClientId() {
        return subscription.clientId() == null ? "" : subscription.clientId();
    }

    @Override
    public String getSubscriptionName() {
        return subscription.name();
    }

    @Override
    public boolean isDurable() {
        return subscription.durable();
    }

    @Override
    public boolean isShared() {
        return subscription.shared();
    }

    @Override
    public String getSelector() {
        return subscription.selector() == null ? "" : subscription.selector();
    }

    @Override
    public void unsubscribe() {
        JmxBeans.operation(() -> {
            management.delete(getName());
            return null;
        });
    }
}
