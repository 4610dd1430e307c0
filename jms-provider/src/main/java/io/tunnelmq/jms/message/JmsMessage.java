package io.tunnelmq.jms.message;

import io.tunnelmq.jms.LockedMessage;
import io.tunnelmq.jms.engine.LockOutcome;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * A TunnelMQ message without a body, and the base of the typed messages: properties with the JMS rules, read-only
 * modes, and — on received messages — the peek-lock state ({@link LockedMessage}); the JMS headers are in
 * {@link MessageHeaders}.
 *
 * <p>A received message's body and properties are read-only until {@link #clearBody()} or
 * {@link #clearProperties()}; the headers stay writable, as the spec requires for resending.
 */
public class JmsMessage extends MessageHeaders implements Message, LockedMessage {
    static final String DELIVERY_COUNT = "JMSXDeliveryCount";

    private final MessageProperties properties = new MessageProperties();
    private boolean propertiesReadOnly;
    private boolean bodyReadOnly;

    /** Lock state; null unless the message was received. */
    private volatile ReceivedState received;

    public JmsMessage() {
    }

    // ---- properties ----

    @Override
    public void clearProperties() {
        properties.clear();
        propertiesReadOnly = false;
    }

    @Override
    public boolean propertyExists(String name) {
        return deliveryProperty(name) != null || properties.contains(name);
    }

    @Override
    public boolean getBooleanProperty(String name) throws JMSException {
        return TypeConversions.toBoolean(getObjectProperty(name));
    }

    @Override
    public byte getByteProperty(String name) throws JMSException {
        return TypeConversions.toByte(getObjectProperty(name));
    }

    @Override
    public short getShortProperty(String name) throws JMSException {
        return TypeConversions.toShort(getObjectProperty(name));
    }

    @Override
    public int getIntProperty(String name) throws JMSException {
        return TypeConversions.toInt(getObjectProperty(name));
    }

    @Override
    public long getLongProperty(String name) throws JMSException {
        return TypeConversions.toLong(getObjectProperty(name));
    }

    @Override
    public float getFloatProperty(String name) throws JMSException {
        return TypeConversions.toFloat(getObjectProperty(name));
    }

    @Override
    public double getDoubleProperty(String name) throws JMSException {
        return TypeConversions.toDouble(getObjectProperty(name));
    }

    @Override
    public String getStringProperty(String name) throws JMSException {
        return TypeConversions.toText(getObjectProperty(name));
    }

    @Override
    public Object getObjectProperty(String name) {
        Object delivery = deliveryProperty(name);
        return delivery != null ? delivery : properties.get(name);
    }

    @Override
    public Enumeration<String> getPropertyNames() {
        List<String> names = new ArrayList<>(properties.names());
        if (received != null) {
            for (String n : List.of(DELIVERY_COUNT, LOCKED_UNTIL_PROPERTY, LOCK_TOKEN_PROPERTY)) {
                if (!names.contains(n)) {
                    names.add(n);
                }
            }
        }
        return Collections.enumeration(names);
    }

    @Override
    public void setBooleanProperty(String name, boolean value) throws JMSException {
        setObjectProperty(name, value);
    }

    @Override
    public void setByteProperty(String name, byte value) throws JMSException {
        setObjectProperty(name, value);
    }

    @Override
    public void setShortProperty(String name, short value) throws JMSException {
        setObjectProperty(name, value);
    }

    @Override
    public void setIntProperty(String name, int value) throws JMSException {
        setObjectProperty(name, value);
    }

    @Override
    public void setLongProperty(String name, long value) throws JMSException {
        setObjectProperty(name, value);
    }

    @Override
    public void setFloatProperty(String name, float value) throws JMSException {
        setObjectProperty(name, value);
    }

    @Override
    public void setDoubleProperty(String name, double value) throws JMSException {
        setObjectProperty(name, value);
    }

    @Override
    public void setStringProperty(String name, String value) throws JMSException {
        setObjectProperty(name, value);
    }

    @Override
    public void setObjectProperty(String name, Object value) throws JMSException {
        MessageProperties.checkName(name);
        if (propertiesReadOnly) {
            throw new MessageNotWriteableException("the properties of a received message are read-only; call "
                    + "clearProperties() before setting property '" + name + "'");
        }
        properties.set(name, value);
    }

    /** The application properties (without the delivery-state properties of a received message). */
    MessageProperties properties() {
        return properties;
    }

    private Object deliveryProperty(String name) {
        ReceivedState r = received;
        if (r == null || name == null) {
            return null;
        }
        return switch (name) {
            case DELIVERY_COUNT -> r.deliveryCount;
            case LOCKED_UNTIL_PROPERTY -> r.currentLockedUntil(this);
            case LOCK_TOKEN_PROPERTY -> Long.toString(r.lockToken);
            default -> null;
        };
    }

    // ---- body ----

    @Override
    public void acknowledge() throws JMSException {
        ReceivedState r = received;
        if (r != null) {
            r.control.acknowledge(this);
        }
    }

    @Override
    public void clearBody() throws JMSException {
        bodyReadOnly = false;
        clearBodyContent();
    }

    /** Drops the body; subclasses override. */
    void clearBodyContent() throws JMSException {
    }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        if (c == null) {
            throw new MessageFormatException("the body type to read must not be null");
        }
        if (!hasBody()) {
            return null;
        }
        Object body = bodyAsObject();
        if (body == null) {
            return null; // an ObjectMessage whose serialized body is null (found by DeliveredMessageFuzzTest)
        }
        if (!c.isInstance(body)) {
            throw new MessageFormatException("the body of this " + kind() + " is a " + body.getClass().getName()
                    + " and cannot be returned as " + c.getName());
        }
        return c.cast(body);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) throws JMSException {
        if (!hasBody()) {
            return true;
        }
        return c != null && c.isInstance(bodyAsObject());
    }

    /** True when the message has a body; a plain message never has one. */
    boolean hasBody() throws JMSException {
        return false;
    }

    /** The body as {@link #getBody(Class)} returns it; only called when {@link #hasBody()}. */
    Object bodyAsObject() throws JMSException {
        return null;
    }

    /** A short name of the message type for error messages. */
    String kind() {
        return "Message";
    }

    boolean isBodyReadOnly() {
        return bodyReadOnly;
    }

    void setBodyReadOnly(boolean readOnly) {
        this.bodyReadOnly = readOnly;
    }

    void checkBodyWritable() throws MessageNotWriteableException {
        if (bodyReadOnly) {
            throw new MessageNotWriteableException("the body of this " + kind()
                    + " is read-only; call clearBody() before writing it");
        }
    }

    /** Marks a message built from the wire as received: read-only, with lock state. */
    void markReceived(long lockToken, int deliveryCount, long lockedUntil, DeliveryControl control) {
        this.received = new ReceivedState(lockToken, deliveryCount, lockedUntil, control);
        setJMSRedelivered(deliveryCount > 1);
        this.propertiesReadOnly = true;
        this.bodyReadOnly = true;
    }

    /** Makes body and properties read-only (a message decoded from the wire that was not delivered). */
    void markReadOnly() {
        this.propertiesReadOnly = true;
        this.bodyReadOnly = true;
    }

    /** The lock token, or 0 if the message was not received. */
    public long lockToken() {
        ReceivedState r = received;
        return r == null ? 0 : r.lockToken;
    }

    // ---- LockedMessage ----

    @Override
    public void complete() throws JMSException {
        requireReceived("complete()").control.settle(this, LockOutcome.COMPLETE, null);
    }

    @Override
    public void abandon() throws JMSException {
        requireReceived("abandon()").control.settle(this, LockOutcome.ABANDON, null);
    }

    @Override
    public void deadLetter(String reason) throws JMSException {
        requireReceived("deadLetter()").control.settle(this, LockOutcome.DEAD_LETTER, reason);
    }

    @Override
    public void renewLock() throws JMSException {
        ReceivedState r = requireReceived("renewLock()");
        r.lockedUntil = Math.max(r.lockedUntil, r.control.renewLock(this));
    }

    @Override
    public long getLockedUntil() throws JMSException {
        return requireReceived("getLockedUntil()").currentLockedUntil(this);
    }

    @Override
    public int getDeliveryCount() throws JMSException {
        return requireReceived("getDeliveryCount()").deliveryCount;
    }

    @Override
    public String getLockToken() throws JMSException {
        return Long.toString(requireReceived("getLockToken()").lockToken);
    }

    private ReceivedState requireReceived(String what) throws IllegalStateException {
        ReceivedState r = received;
        if (r == null) {
            throw new IllegalStateException(what + " needs a message received from a TunnelMQ consumer; this message"
                    + " was created by the application and holds no lock");
        }
        return r;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[id=" + getJMSMessageID() + ", destination=" + getJMSDestination()
                + (received != null ? ", deliveryCount=" + received.deliveryCount : "") + "]";
    }

    /** The peek-lock state of a received message. */
    private static final class ReceivedState {
        final long lockToken;
        final int deliveryCount;
        final DeliveryControl control;
        volatile long lockedUntil;

        ReceivedState(long lockToken, int deliveryCount, long lockedUntil, DeliveryControl control) {
            this.lockToken = lockToken;
            this.deliveryCount = deliveryCount;
            this.lockedUntil = lockedUntil;
            this.control = control;
        }

        /**
         * The engine's latest knowledge (it renews locks by itself); once the lock is no longer held, the last
         * expiry it was known to have.
         */
        long currentLockedUntil(JmsMessage message) {
            long known = control.lockedUntil(message);
            if (known > lockedUntil) {
                lockedUntil = known;
            }
            return lockedUntil;
        }
    }
}
