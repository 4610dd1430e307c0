package io.tunnelmq.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;

/** The connection that created a temporary destination and can delete it. */
public interface TemporaryDestinationOwner {

    /** Deletes the destination on the broker; fails if it still has consumers. */
    void deleteTemporaryDestination(TunnelDestination destination) throws JMSException;

    static void delete(TemporaryDestinationOwner owner, TunnelDestination destination) throws JMSException {
        if (owner == null) {
            throw new IllegalStateException("temporary destination " + destination.getName()
                    + " can only be deleted through the connection that created it");
        }
        owner.deleteTemporaryDestination(destination);
    }
}
