package io.tunnelmq.jms.message;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

import java.util.Enumeration;

/**
 * Copies a message implemented by another JMS provider into a TunnelMQ message, so it can be sent (JMS 2.0
 * §3.12: a provider must be able to send any provider's messages). The headers the application sets, the
 * properties and the body are copied; a bytes or stream message is reset and read to the end. The headers a send
 * sets (destination, message ID, timestamp, delivery mode, priority, expiration, delivery time) are not: the
 * sender stamps them on the copy and the original alike, whatever the original held (even an out-of-range
 * priority).
 */
final class ForeignMessages {
    private ForeignMessages() {
    }

    static JmsMessage copy(Message foreign) throws JMSException {
        JmsMessage m = copyBody(foreign);
        m.setJMSCorrelationID(foreign.getJMSCorrelationID());
        m.setJMSReplyTo(foreign.getJMSReplyTo());
        m.setJMSType(foreign.getJMSType());
        Enumeration<?> names = foreign.getPropertyNames();
        while (names.hasMoreElements()) {
            String name = (String) names.nextElement();
            m.properties().set(name, foreign.getObjectProperty(name));
        }
        return m;
    }

    private static JmsMessage copyBody(Message foreign) throws JMSException {
        if (foreign instanceof TextMessage t) {
            return new JmsTextMessage(t.getText());
        }
        if (foreign instanceof BytesMessage b) {
            JmsBytesMessage m = new JmsBytesMessage();
            b.reset();
            byte[] chunk = new byte[8192];
            int n;
            while ((n = b.readBytes(chunk)) > 0) {
                m.writeBytes(chunk, 0, n);
            }
            return m;
        }
        if (foreign instanceof MapMessage map) {
            JmsMapMessage m = new JmsMapMessage();
            Enumeration<?> names = map.getMapNames();
            while (names.hasMoreElements()) {
                String name = (String) names.nextElement();
                m.setObject(name, map.getObject(name));
            }
            return m;
        }
        if (foreign instanceof StreamMessage s) {
            JmsStreamMessage m = new JmsStreamMessage();
            s.reset();
            try {
                while (true) {
                    m.writeObject(s.readObject());
                }
            } catch (MessageEOFException end) {
                return m;
            }
        }
        if (foreign instanceof ObjectMessage o) {
            JmsObjectMessage m = new JmsObjectMessage();
            m.setObject(o.getObject());
            return m;
        }
        return new JmsMessage();
    }
}
