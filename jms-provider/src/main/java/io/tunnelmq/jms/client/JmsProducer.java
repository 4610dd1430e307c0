package io.tunnelmq.jms.client;

import io.tunnelmq.jms.message.JmsBytesMessage;
import io.tunnelmq.jms.message.JmsMapMessage;
import io.tunnelmq.jms.message.JmsObjectMessage;
import io.tunnelmq.jms.message.JmsTextMessage;
import io.tunnelmq.jms.message.MessageProperties;

import jakarta.jms.CompletionListener;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The JMSContext's producer: a fluent holder of send options, message properties and headers that it applies to
 * every message it sends through the context's session. Not thread-safe (as its session).
 */
final class JmsProducer implements JMSProducer {
    private final JmsContext context;
    private final MessageSender sender;
    private final MessageProperties properties = new MessageProperties();
    private SendOptions options = SendOptions.DEFAULTS;
    private CompletionListener async;
    private String correlationId;
    private String type;
    private Destination replyTo;

    JmsProducer(JmsContext context, JmsSession session) {
        this.context = context;
        this.sender = new MessageSender(session);
    }

    // ---- sending ----

    @Override
    public JMSProducer send(Destination destination, Message message) {
        context.checkOpen();
        if (message == null) {
            throw new MessageFormatRuntimeException("the message to send must not be null");
        }
        if (destination == null) {
            throw new InvalidDestinationRuntimeException("the destination must not be null");
        }
        JmsContext.run(() -> {
            for (String name : properties.names()) {
                message.setObjectProperty(name, properties.get(name));
            }
            if (correlationId != null) {
                message.setJMSCorrelationID(correlationId);
            }
            if (type != null) {
                message.setJMSType(type);
            }
            if (replyTo != null) {
                message.setJMSReplyTo(replyTo);
            }
            sender.send(destination, message, options, async);
        });
        return this;
    }

    @Override
    public JMSProducer send(Destination destination, String body) {
        return send(destination, new JmsTextMessage(body));
    }

    @Override
    public JMSProducer send(Destination destination, Map<String, Object> body) {
        JmsMapMessage m = new JmsMapMessage();
        if (body != null) {
            JmsContext.run(() -> {
                for (Map.Entry<String, Object> e : body.entrySet()) {
                    m.setObject(e.getKey(), e.getValue());
                }
            });
        }
        return send(destination, m);
    }

    @Override
    public JMSProducer send(Destination destination, byte[] body) {
        JmsBytesMessage m = new JmsBytesMessage();
        if (body != null) {
            JmsContext.run(() -> m.writeBytes(body));
        }
        return send(destination, m);
    }

    @Override
    public JMSProducer send(Destination destination, Serializable body) {
        JmsObjectMessage m = new JmsObjectMessage();
        JmsContext.run(() -> m.setObject(body));
        return send(destination, m);
    }

    // ---- options ----

    @Override
    public JMSProducer setDisableMessageID(boolean value) {
        options = options.withDisableMessageId(value);
        return this;
    }

    @Override
    public boolean getDisableMessageID() {
        return options.disableMessageId();
    }

    @Override
    public JMSProducer setDisableMessageTimestamp(boolean value) {
        options = options.withDisableTimestamp(value);
        return this;
    }

    @Override
    public boolean getDisableMessageTimestamp() {
        return options.disableTimestamp();
    }

    @Override
    public JMSProducer setDeliveryMode(int deliveryMode) {
        JmsContext.run(() -> SendOptions.checkDeliveryMode(deliveryMode));
        options = options.withDeliveryMode(deliveryMode);
        return this;
    }

    @Override
    public int getDeliveryMode() {
        return options.deliveryMode();
    }

    @Override
    public JMSProducer setPriority(int priority) {
        JmsContext.run(() -> SendOptions.checkPriority(priority));
        options = options.withPriority(priority);
        return this;
    }

    @Override
    public int getPriority() {
        return options.priority();
    }

    @Override
    public JMSProducer setTimeToLive(long timeToLive) {
        options = options.withTimeToLive(timeToLive);
        return this;
    }

    @Override
    public long getTimeToLive() {
        return options.timeToLive();
    }

    @Override
    public JMSProducer setDeliveryDelay(long deliveryDelay) {
        JmsContext.run(() -> SendOptions.checkDeliveryDelay(deliveryDelay));
        options = options.withDeliveryDelay(deliveryDelay);
        return this;
    }

    @Override
    public long getDeliveryDelay() {
        return options.deliveryDelay();
    }

    @Override
    public JMSProducer setAsync(CompletionListener completionListener) {
        this.async = completionListener;
        return this;
    }

    @Override
    public CompletionListener getAsync() {
        return async;
    }

    // ---- properties ----

    @Override
    public JMSProducer setProperty(String name, boolean value) {
        return setProperty(name, (Object) value);
    }

    @Override
    public JMSProducer setProperty(String name, byte value) {
        return setProperty(name, (Object) value);
    }

    @Override
    public JMSProducer setProperty(String name, short value) {
        return setProperty(name, (Object) value);
    }

    @Override
    public JMSProducer setProperty(String name, int value) {
        return setProperty(name, (Object) value);
    }

    @Override
    public JMSProducer setProperty(String name, long value) {
        return setProperty(name, (Object) value);
    }

    @Override
    public JMSProducer setProperty(String name, float value) {
        return setProperty(name, (Object) value);
    }

    @Override
    public JMSProducer setProperty(String name, double value) {
        return setProperty(name, (Object) value);
    }

    @Override
    public JMSProducer setProperty(String name, String value) {
        return setProperty(name, (Object) value);
    }

    @Override
    public JMSProducer setProperty(String name, Object value) {
        JmsContext.run(() -> properties.set(name, value));
        return this;
    }

    @Override
    public JMSProducer clearProperties() {
        properties.clear();
        return this;
    }

    @Override
    public boolean propertyExists(String name) {
        return properties.contains(name);
    }

    @Override
    public boolean getBooleanProperty(String name) {
        return JmsContext.call(() -> properties.getBoolean(name));
    }

    @Override
    public byte getByteProperty(String name) {
        return JmsContext.call(() -> properties.getByte(name));
    }

    @Override
    public short getShortProperty(String name) {
        return JmsContext.call(() -> properties.getShort(name));
    }

    @Override
    public int getIntProperty(String name) {
        return JmsContext.call(() -> properties.getInt(name));
    }

    @Override
    public long getLongProperty(String name) {
        return JmsContext.call(() -> properties.getLong(name));
    }

    @Override
    public float getFloatProperty(String name) {
        return JmsContext.call(() -> properties.getFloat(name));
    }

    @Override
    public double getDoubleProperty(String name) {
        return JmsContext.call(() -> properties.getDouble(name));
    }

    @Override
    public String getStringProperty(String name) {
        return JmsContext.call(() -> properties.getString(name));
    }

    @Override
    public Object getObjectProperty(String name) {
        return properties.get(name);
    }

    @Override
    public Set<String> getPropertyNames() {
        return new LinkedHashSet<>(properties.names());
    }

    // ---- headers ----

    @Override
    public JMSProducer setJMSCorrelationIDAsBytes(byte[] correlationID) {
        this.correlationId = correlationID == null ? null : new String(correlationID, StandardCharsets.ISO_8859_1);
        return this;
    }

    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        return correlationId == null ? null : correlationId.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public JMSProducer setJMSCorrelationID(String correlationID) {
        this.correlationId = correlationID;
        return this;
    }

    @Override
    public String getJMSCorrelationID() {
        return correlationId;
    }

    @Override
    public JMSProducer setJMSType(String type) {
        this.type = type;
        return this;
    }

    @Override
    public String getJMSType() {
        return type;
    }

    @Override
    public JMSProducer setJMSReplyTo(Destination replyTo) {
        this.replyTo = replyTo;
        return this;
    }

    @Override
    public Destination getJMSReplyTo() {
        return replyTo;
    }
}
