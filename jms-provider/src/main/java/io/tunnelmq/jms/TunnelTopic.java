package io.tunnelmq.jms;

import jakarta.jms.Topic;

/** A topic, named by its physical name on the broker. Topics are created on first use. */
public final class TunnelTopic extends TunnelDestination implements Topic {
    private static final long serialVersionUID = 1L;

    public TunnelTopic(String name) {
        super(name);
    }

    @Override
    public String getTopicName() {
        return getName();
    }

    @Override
    public String toString() {
        return "topic://" + getName();
    }
}
