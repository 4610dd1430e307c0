package io.tunnelmq.jms.pool;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;

/**
 * A pooled consumer (only with {@code poolConsumers}): closing it removes its listener and keeps the physical
 * consumer for the next borrower of the session who asks for the same destination, selector and noLocal.
 */
final class PooledConsumer implements QueueReceiver, TopicSubscriber {
    /** What closing gives back: the physical consumer to its session's idle consumers. */
    interface Keeper {
        void keep() throws JMSException;
    }

    private final MessageConsumer physical;
    private final Keeper keeper;
    private volatile boolean closed;

    PooledConsumer(MessageConsumer physical, Keeper keeper) {
        this.physical = physical;
        this.keeper = keeper;
    }

    private MessageConsumer consumer() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("this consumer is closed");
        }
        return physical;
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        keeper.keep();
    }

    @Override
    public String getMessageSelector() throws JMSException {
        return consumer().getMessageSelector();
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        return consumer().getMessageListener();
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        consumer().setMessageListener(listener);
    }

    @Override
    public Message receive() throws JMSException {
        return consumer().receive();
    }

    @Override
    public Message receive(long timeout) throws JMSException {
        return consumer().receive(timeout);
    }

    @Override
    public Message receiveNoWait() throws JMSException {
        return consumer().receiveNoWait();
    }

    @Override
    public Queue getQueue() throws JMSException {
        return ((QueueReceiver) consumer()).getQueue();
    }

    @Override
    public Topic getTopic() throws JMSException {
        return ((TopicSubscriber) consumer()).getTopic();
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        return ((TopicSubscriber) consumer()).getNoLocal();
    }
}
