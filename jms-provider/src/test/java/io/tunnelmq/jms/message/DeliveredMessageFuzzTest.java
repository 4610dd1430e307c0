package io.tunnelmq.jms.message;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.jms.engine.Delivery;
import io.tunnelmq.protocol.ProtocolException;
import io.tunnelmq.protocol.codec.FrameDecoder;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.FrameType;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Timeout;

import java.util.Collections;

/**
 * Fuzzes what a client makes of a Deliver frame from a broker (or anything that answers on its port): the input is
 * the frame's body. It must decode to a frame or fail with a {@link ProtocolException} (the connection closes); a
 * decoded message must become a JMS message, or fail with a {@link JMSException}; and every header, property and
 * body value an application reads must come back as a value or a {@link JMSException} (a conversion JMS forbids, a
 * body that does not decode, a class outside the deserialization allow-list) — never another exception, a hang or
 * an allocation the size of an announced length. Seeds: {@code DeliveredMessageFuzzTestInputs} (see
 * {@link DeliveredMessageFuzzSeedsTest}).
 */
class DeliveredMessageFuzzTest {
    private static final SerializablePackages PACKAGES = SerializablePackages.fromOption("java.,javax.,jakarta.");

    @FuzzTest
    @Timeout(10)
    void deliverBody(byte[] body) {
        ByteBuf frame = Unpooled.buffer(9 + body.length).writeInt(5 + body.length)
                .writeByte(FrameType.DELIVER.code()).writeInt(1).writeBytes(body);
        Deliver deliver;
        try {
            deliver = (Deliver) FrameDecoder.decode(frame, Integer.MAX_VALUE);
        } catch (ProtocolException refused) {
            return;
        } finally {
            frame.release();
        }
        try {
            readAsAnApplicationWould(WireMessages.fromDelivery(new Delivery(deliver.consumerId(), deliver.lockToken(),
                    deliver.deliveryCount(), deliver.lockedUntil(), deliver.message()),
                    new WireMessagesTest.RecordingControl(), PACKAGES));
        } catch (JMSException refused) {
            // the JMS way to say a value or body cannot be had
        }
    }

    private static void readAsAnApplicationWould(Message m) throws JMSException {
        m.getJMSMessageID();
        m.getJMSDestination();
        m.getJMSReplyTo();
        m.getJMSCorrelationID();
        m.getJMSType();
        m.getJMSRedelivered();
        for (Object name : Collections.list(m.getPropertyNames())) {
            String property = (String) name;
            readConverted(m, property, m.getObjectProperty(property) == null);
        }
        if (m instanceof TextMessage text) {
            text.getText();
        } else if (m instanceof BytesMessage bytes) {
            bytes.readBytes(new byte[(int) Math.min(bytes.getBodyLength(), 1 << 16)]);
        } else if (m instanceof MapMessage map) {
            for (Object name : Collections.list(map.getMapNames())) {
                map.getObject((String) name);
                try {
                    map.getString((String) name);
                } catch (JMSException notAString) {
                    // a conversion JMS forbids
                }
            }
        } else if (m instanceof StreamMessage stream) {
            try {
                while (true) {
                    stream.readObject();
                }
            } catch (MessageEOFException end) {
                // read it all
            }
        } else if (m instanceof ObjectMessage object) {
            object.getObject();
        }
        m.getBody(Object.class);
    }

    /** The conversions JMS allows or refuses with a MessageFormatException, each on its own. */
    private static void readConverted(Message m, String property, boolean isNull) {
        for (int i = 0; i < 7; i++) {
            try {
                switch (i) {
                    case 0 -> m.getStringProperty(property);
                    case 1 -> m.getLongProperty(property);
                    case 2 -> m.getIntProperty(property);
                    case 3 -> m.getDoubleProperty(property);
                    case 4 -> m.getBooleanProperty(property);
                    case 5 -> m.getShortProperty(property);
                    default -> m.getFloatProperty(property);
                }
            } catch (JMSException refused) {
                // a conversion JMS forbids
            } catch (NumberFormatException refused) {
                // JMS: a String property that is not a number throws NumberFormatException (3.5.4)
            } catch (NullPointerException refused) {
                if (!isNull || i < 3 || i == 4 || i == 5) {
                    throw refused;
                }
                // JMS: a null double or float property reads as Double.valueOf(null) does
            }
        }
    }
}
