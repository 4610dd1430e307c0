package io.tunnelmq.samples.boot;

import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What the listeners were handed, per queue, in order: the app logs it and its tests wait for it. */
@Component
public class Deliveries {
    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

    private final Map<String, BlockingQueue<Delivery>> byQueue = new ConcurrentHashMap<>();

    /** One delivery of a message to a listener. */
    public record Delivery(String body, boolean redelivered, int deliveryCount) {
    }

    Delivery record(String queue, TextMessage message) throws JMSException {
        Delivery delivery = new Delivery(message.getText(), message.getJMSRedelivered(),
                message.getIntProperty("JMSXDeliveryCount"));
        log.info("{} got {}", queue, delivery);
        queue(queue).add(delivery);
        return delivery;
    }

    /** The next delivery on {@code queue}, or null if none came within {@code timeout}. */
    public Delivery next(String queue, Duration timeout) throws InterruptedException {
        return queue(queue).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private BlockingQueue<Delivery> queue(String queue) {
        return byQueue.computeIfAbsent(queue, q -> new LinkedBlockingQueue<>());
    }
}
