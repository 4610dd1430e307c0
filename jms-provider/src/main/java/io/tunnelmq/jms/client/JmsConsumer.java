package io.tunnelmq.jms.client;


import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * The JMSContext's consumer: a {@link JmsMessageConsumer} with unchecked exceptions, plus {@code receiveBody}.
 * When a received body cannot be returned as the requested type, the message is not acknowledged: in AUTO and
 * DUPS_OK sessions it is abandoned and redelivered; in CLIENT and transacted sessions it stays delivered, to be
 * acknowledged, committed or rolled back with the others.
 */
final class JmsConsumer implements JMSConsumer {
    private final JmsMessageConsumer consumer;

    JmsConsumer(JmsMessageConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public String getMessageSelector() {
        return JmsContext.call(consumer::getMessageSelector);
    }

    @Override
    public MessageListener getMessageListener() {
        return JmsContext.call(consumer::getMessageListener);
    }

    @Override
    public void setMessageListener(MessageListener listener) {
        JmsContext.run(() -> consumer.setMessageListener(listener));
    }

    @Override
    public Message receive() {
        return JmsContext.call(consumer::receive);
    }

    @Override
    public Message receive(long timeout) {
        return JmsContext.call(() -> consumer.receive(timeout));
    }

    @Override
    public Message receiveNoWait() {
        return JmsContext.call(consumer::receiveNoWait);
    }

    @Override
    public void close() {
        JmsContext.run(consumer::close);
    }

    @Override
    public <T> T receiveBody(Class<T> c) {
        return body(c, 0);
    }

    @Override
    public <T> T receiveBody(Class<T> c, long timeout) {
        return body(c, timeout == 0 ? 0 : Math.max(timeout, 1));
    }

    @Override
    public <T> T receiveBodyNoWait(Class<T> c) {
        return body(c, -1);
    }

    private <T> T body(Class<T> c, long timeout) {
        return JmsContext.call(() -> consumer.receiveBody(c, timeout));
    }
}
