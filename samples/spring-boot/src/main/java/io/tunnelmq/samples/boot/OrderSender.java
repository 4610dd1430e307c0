package io.tunnelmq.samples.boot;

import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Service;

/** Sends with the JmsTemplate Boot built on the starter's (pooled) ConnectionFactory. */
@Service
public class OrderSender {
    private final JmsTemplate jms;

    OrderSender(JmsTemplate jms) {
        this.jms = jms;
    }

    public void placeOrder(String order) {
        jms.convertAndSend(SampleApplication.ORDERS, order);
    }

    public void pay(String payment) {
        jms.convertAndSend(SampleApplication.PAYMENTS, payment);
    }

    public void audit(String entry) {
        jms.convertAndSend(SampleApplication.AUDIT, entry);
    }
}
