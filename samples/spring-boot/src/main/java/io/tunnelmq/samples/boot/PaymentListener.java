package io.tunnelmq.samples.boot;

import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;
import org.springframework.jms.annotation.JmsListener;
import org.springframework.stereotype.Component;

/**
 * A transacted listener whose first attempt at each payment fails (say, the payment service timed out): the
 * container rolls the session back, the broker abandons the message's lock, and the message comes again, marked
 * JMSRedelivered, and is committed this time.
 */
@Component
class PaymentListener {
    private final Deliveries deliveries;

    PaymentListener(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    @JmsListener(destination = SampleApplication.PAYMENTS, containerFactory = "transactedFactory")
    void onPayment(TextMessage payment) throws JMSException {
        if (!deliveries.record(SampleApplication.PAYMENTS, payment).redelivered()) {
            throw new IllegalStateException("payment service timed out for " + payment.getText() + "; rolling back");
        }
    }
}
