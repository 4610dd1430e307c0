package io.tunnelmq.samples.boot2;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.annotation.JmsListener;
import org.springframework.jms.support.JmsHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.stereotype.Component;

/**
 * Handles orders and confirms each on the {@value #CONFIRMATIONS} queue. Boot's listener sessions are transacted:
 * the confirmation is sent and the order consumed in one commit, and an exception rolls both back, so the broker
 * delivers the order again with JMSRedelivered set.
 */
@Component
class OrderListener {
    static final String ORDERS = "orders";
    static final String CONFIRMATIONS = "confirmations";
    /** An order with this property set fails on its first delivery, as if a downstream service were briefly down. */
    static final String FAIL_FIRST_DELIVERY = "failFirstDelivery";

    private static final Logger log = LoggerFactory.getLogger(OrderListener.class);

    @JmsListener(destination = ORDERS)
    @SendTo(CONFIRMATIONS)
    String onOrder(String order,
                   @Header(JmsHeaders.REDELIVERED) boolean redelivered,
                   @Header(name = FAIL_FIRST_DELIVERY, required = false) boolean failFirstDelivery) {
        if (failFirstDelivery && !redelivered) {
            throw new IllegalStateException("order " + order + " failed on its first delivery (simulated)");
        }
        log.info("handled order {} (redelivered: {})", order, redelivered);
        return "confirmed " + order + (redelivered ? " on redelivery" : "");
    }
}
