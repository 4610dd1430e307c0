package io.tunnelmq.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;

/** A message whose body is a String (UTF-8 on the wire; a null text means no body). */
public class JmsTextMessage extends JmsMessage implements TextMessage {
    private String text;

    public JmsTextMessage() {
    }

    public JmsTextMessage(String text) {
        this.text = text;
    }

    @Override
    public void setText(String text) throws JMSException {
        checkBodyWritable();
        this.text = text;
    }

    @Override
    public String getText() {
        return text;
    }

    @Override
    void clearBodyContent() {
        text = null;
    }

    @Override
    boolean hasBody() {
        return text != null;
    }

    @Override
    Object bodyAsObject() {
        return text;
    }

    @Override
    String kind() {
        return "TextMessage";
    }
}
