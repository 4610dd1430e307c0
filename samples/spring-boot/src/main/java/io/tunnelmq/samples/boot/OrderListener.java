package io.tunnelmq.samples.boot;

import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;
import org.springframework.jms.annotation.JmsListener;
import org.springframework.stereotype.Component;

/** A {@code @JmsListener} on Boot's default container factory: nothing configured but the queue name. */
@Component
class OrderListener {
    private final Deliveries deliveries;

    OrderListener(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    @JmsListener(destination = SampleApplication.ORDERS)
    void onOrder(TextMessage order) throws JMSException {
        deliveries.record(SampleApplication.ORDERS, order);
    }
}
