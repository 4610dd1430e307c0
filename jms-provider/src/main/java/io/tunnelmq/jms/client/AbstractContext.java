package io.tunnelmq.jms.client;

import io.tunnelmq.jms.message.JmsBytesMessage;
import io.tunnelmq.jms.message.JmsMapMessage;
import io.tunnelmq.jms.message.JmsMessage;
import io.tunnelmq.jms.message.JmsObjectMessage;
import io.tunnelmq.jms.message.JmsStreamMessage;
import io.tunnelmq.jms.message.JmsTextMessage;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

import java.io.Serializable;

/**
 * What a {@link JmsContext} does without its session: message factories, and the wrapping of checked
 * {@link JMSException}s into the unchecked ones the simplified API throws. As {@link AbstractSession} is to
 * {@link JmsSession}.
 */
abstract class AbstractContext implements JMSContext {

    /** @throws jakarta.jms.IllegalStateRuntimeException once the context is closed */
    abstract void checkOpen();

    abstract JmsConnection connection();

    @Override
    public BytesMessage createBytesMessage() {
        checkOpen();
        return new JmsBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() {
        checkOpen();
        return new JmsMapMessage();
    }

    @Override
    public Message createMessage() {
        checkOpen();
        return new JmsMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() {
        checkOpen();
        return new JmsObjectMessage(connection().serializablePackages());
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) {
        checkOpen();
        JmsObjectMessage m = new JmsObjectMessage(connection().serializablePackages());
        run(() -> m.setObject(object));
        return m;
    }

    @Override
    public StreamMessage createStreamMessage() {
        checkOpen();
        return new JmsStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() {
        checkOpen();
        return new JmsTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) {
        checkOpen();
        return new JmsTextMessage(text);
    }

    /** A JMS call that may throw JMSException. */
    @FunctionalInterface
    interface JmsCall<T> {
        T call() throws JMSException;
    }

    /** A JMS action that may throw JMSException. */
    @FunctionalInterface
    interface JmsAction {
        void run() throws JMSException;
    }

    static <T> T call(JmsCall<T> call) {
        try {
            return call.call();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    static void run(JmsAction action) {
        try {
            action.run();
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }
}
