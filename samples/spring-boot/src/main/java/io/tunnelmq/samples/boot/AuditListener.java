package io.tunnelmq.samples.boot;

import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;
import org.springframework.jms.annotation.JmsListener;
import org.springframework.stereotype.Component;

/**
 * A listener on a CLIENT_ACKNOWLEDGE container: the container acknowledges each message after this method returned.
 * The first attempt fails (the audit store is briefly down): the container recovers the session and the message
 * comes again, marked JMSRedelivered, and is acknowledged this time.
 */
@Component
class AuditListener {
    private final Deliveries deliveries;

    AuditListener(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    @JmsListener(destination = SampleApplication.AUDIT, containerFactory = "clientAcknowledgeFactory")
    void onAudit(TextMessage entry) throws JMSException {
        if (!deliveries.record(SampleApplication.AUDIT, entry).redelivered()) {
            throw new IllegalStateException("audit store unavailable for " + entry.getText() + "; not acknowledged");
        }
    }
}
