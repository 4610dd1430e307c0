package io.tunnelmq.tck.conformance;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Body and header rules the Jakarta TCK checks: conversions of Map and Stream messages, ObjectMessage copies,
 * correlation ID / reply-to / type round trips, and messages implemented by another provider.
 */
@Timeout(30)
class MessageBodiesConformanceTest extends RoundTripFixture {
    @Override
    String queueName() {
        return "bodies";
    }

    @Test
    void headersSetByTheApplicationRoundTrip() throws JMSException {
        Queue replyTo = session.createQueue("replies");
        TextMessage m = session.createTextMessage("x");
        m.setJMSCorrelationID("corr-1");
        m.setJMSReplyTo(replyTo);
        m.setJMSType("kind");
        Message r = roundTrip(m);
        assertThat(r.getJMSCorrelationID()).isEqualTo("corr-1");
        assertThat(r.getJMSReplyTo()).isEqualTo(replyTo);
        assertThat(r.getJMSType()).isEqualTo("kind");

        Message bytesId = session.createMessage();
        bytesId.setJMSCorrelationIDAsBytes(new byte[] {1, 2, 3});
        assertThat(roundTrip(bytesId).getJMSCorrelationIDAsBytes()).containsExactly(1, 2, 3);
    }

    @Test
    void mapMessageConversionsFollowTheTable() throws JMSException {
        MapMessage m = session.createMapMessage();
        m.setString("s", "12");
        m.setInt("i", 5);
        m.setBytes("b", new byte[] {9, 8, 7}, 1, 2);
        m.setObject("o", 2.5d);
        m.setBoolean("t", true);
        MapMessage r = (MapMessage) roundTrip(m);
        assertThat(r.getInt("s")).isEqualTo(12);
        assertThat(r.getLong("i")).isEqualTo(5L);
        assertThat(r.getString("i")).isEqualTo("5");
        assertThat(r.getBytes("b")).containsExactly(8, 7);
        assertThat(r.getDouble("o")).isEqualTo(2.5d);
        assertThat(r.getString("t")).isEqualTo("true");
        assertThatThrownBy(() -> r.getBoolean("i")).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> r.getBytes("s")).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> r.getInt("t")).isInstanceOf(MessageFormatException.class);
        assertThat(r.getString("missing")).isNull();
        assertThat(r.itemExists("s")).isTrue();
        assertThat(Collections.list(r.getMapNames())).containsExactlyInAnyOrder("s", "i", "b", "o", "t");
        assertThatThrownBy(() -> r.setInt("x", 1)).isInstanceOf(jakarta.jms.MessageNotWriteableException.class);
        assertThatThrownBy(() -> m.setObject("bad", new ArrayList<>())).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.setInt(null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.setInt("", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamMessageConversionsFollowTheTableAndAFailedReadKeepsThePosition() throws JMSException {
        StreamMessage m = session.createStreamMessage();
        m.writeInt(123);
        m.writeBytes(new byte[] {1, 2, 3, 4});
        m.writeBoolean(true);
        m.writeObject(null);
        StreamMessage r = (StreamMessage) roundTrip(m);
        assertThatThrownBy(r::readBoolean).isInstanceOf(MessageFormatException.class);
        assertThat(r.readLong()).isEqualTo(123L);
        byte[] buffer = new byte[2];
        assertThat(r.readBytes(buffer)).isEqualTo(2);
        assertThat(r.readBytes(buffer)).isEqualTo(2);
        assertThat(r.readBytes(buffer)).as("a full last read is followed by -1").isEqualTo(-1);
        assertThat(r.readString()).isEqualTo("true");
        assertThat(r.readObject()).isNull();
        assertThatThrownBy(r::readObject).isInstanceOf(jakarta.jms.MessageEOFException.class);
        r.reset();
        assertThat(r.readString()).isEqualTo("123");
        assertThatThrownBy(r::readString).as("bytes cannot be read as a String").isInstanceOf(MessageFormatException.class);
    }

    @Test
    void objectMessageHoldsACopyTakenWhenTheObjectIsSet() throws JMSException {
        ArrayList<String> list = new ArrayList<>(List.of("a"));
        ObjectMessage m = session.createObjectMessage(list);
        list.add("changed after setObject");
        ObjectMessage r = (ObjectMessage) roundTrip(m);
        assertThat(r.getObject()).isEqualTo(List.of("a"));
        @SuppressWarnings("unchecked")
        List<String> first = (List<String>) r.getObject();
        first.add("changed by the reader");
        assertThat(r.getObject()).isEqualTo(List.of("a"));
    }

    @Test
    void aMessageImplementedByAnotherProviderCanBeSent() throws JMSException {
        Map<String, Object> state = new HashMap<>();
        TextMessage foreign = foreignTextMessage(state, "from elsewhere");
        TextMessage r = (TextMessage) roundTrip(foreign);
        assertThat(r.getText()).isEqualTo("from elsewhere");
        assertThat(r.getStringProperty("origin")).isEqualTo("other");
        assertThat(state.get("JMSMessageID")).as("send sets the ID on the foreign message itself")
                .isEqualTo(r.getJMSMessageID());
        assertThat(state.get("JMSDestination")).isEqualTo(queue);
    }

    /** A TextMessage that is not ours: a proxy that keeps headers in a map. */
    private static TextMessage foreignTextMessage(Map<String, Object> state, String text) {
        state.put("text", text);
        state.put("props", new HashMap<>(Map.of("origin", "other")));
        return (TextMessage) Proxy.newProxyInstance(MessageBodiesConformanceTest.class.getClassLoader(),
                new Class<?>[] {TextMessage.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    @SuppressWarnings("unchecked")
                    Map<String, Object> props = (Map<String, Object>) state.get("props");
                    switch (name) {
                        case "getText":
                            return state.get("text");
                        case "getPropertyNames":
                            return Collections.enumeration(props.keySet());
                        case "getObjectProperty":
                        case "getStringProperty":
                            return props.get((String) args[0]);
                        case "propertyExists":
                            return props.containsKey((String) args[0]);
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                            return "foreign TextMessage";
                        default:
                            break;
                    }
                    if (name.startsWith("setJMS")) {
                        state.put(name.substring(3), args[0]);
                        return null;
                    }
                    if (name.startsWith("getJMS")) {
                        Object v = state.get(name.substring(3));
                        Class<?> type = method.getReturnType();
                        if (v == null && type == long.class) {
                            return 0L;
                        }
                        if (v == null && type == int.class) {
                            return name.equals("getJMSPriority") ? 4 : 2;
                        }
                        if (v == null && type == boolean.class) {
                            return false;
                        }
                        return v;
                    }
                    Class<?> type = method.getReturnType();
                    if (type == boolean.class) {
                        return false;
                    }
                    return type.isPrimitive() && type != void.class ? 0 : null;
                });
    }

    @Test
    void destinationsAreComparedByName() throws JMSException {
        Destination a = session.createQueue("same");
        Destination b = session.createQueue("same");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(session.createTopic("same"));
    }
}
