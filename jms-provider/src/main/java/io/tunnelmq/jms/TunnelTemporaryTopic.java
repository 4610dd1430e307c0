package io.tunnelmq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.TemporaryTopic;

/**
 * A temporary topic, living as long as the connection that created it. A copy received in a message
 * (JMSReplyTo) can be published to but not deleted.
 */
public final class TunnelTemporaryTopic extends TunnelDestination implements TemporaryTopic {
    private static final long serialVersionUID = 1L;

    private final transient TemporaryDestinationOwner owner;

    public TunnelTemporaryTopic(String name, TemporaryDestinationOwner owner) {
        super(name);
        this.owner = owner;
    }

    @Override
    public String getTopicName() {
        return getName();
    }

    @Override
    public void delete() throws JMSException {
        TemporaryDestinationOwner.delete(owner, this);
    }

    @Override
    public String toString() {
        return "temp-topic://" + getName();
    }
}
