package io.tunnelmq.jms.message;

import io.tunnelmq.jms.LockedMessage;
import io.tunnelmq.jms.TunnelQueue;
import io.tunnelmq.jms.TunnelTemporaryQueue;
import io.tunnelmq.jms.TunnelTopic;
import io.tunnelmq.jms.engine.Delivery;
import io.tunnelmq.jms.engine.LockOutcome;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.Queue;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Conversion between JMS messages and the wire form, and the lock state of received messages. */
@Timeout(10)
class WireMessagesTest {

    private static <T extends JmsMessage> T roundTrip(T m) throws JMSException {
        m.setJMSDestination(new TunnelQueue("q"));
        @SuppressWarnings("unchecked")
        T back = (T) WireMessages.fromWire(WireMessages.toWire(m));
        return back;
    }

    @Test
    void headersAndPropertiesRoundTrip() throws JMSException {
        JmsTextMessage m = new JmsTextMessage("body");
        m.setJMSMessageID("ID:1");
        m.setJMSTimestamp(11);
        m.setJMSCorrelationID("corr");
        m.setJMSReplyTo(new TunnelTopic("replies"));
        m.setJMSType("type");
        m.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        m.setJMSPriority(7);
        m.setJMSExpiration(22);
        m.setJMSDeliveryTime(33);
        m.setIntProperty("i", 1);
        m.setStringProperty("s", "x");
        JmsTextMessage back = roundTrip(m);
        assertThat(back.getText()).isEqualTo("body");
        assertThat(back.getJMSDestination()).isEqualTo(new TunnelQueue("q"));
        assertThat(back.getJMSMessageID()).isEqualTo("ID:1");
        assertThat(back.getJMSTimestamp()).isEqualTo(11);
        assertThat(back.getJMSCorrelationID()).isEqualTo("corr");
        assertThat(back.getJMSReplyTo()).isEqualTo(new TunnelTopic("replies"));
        assertThat(back.getJMSType()).isEqualTo("type");
        assertThat(back.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(back.getJMSPriority()).isEqualTo(7);
        assertThat(back.getJMSExpiration()).isEqualTo(22);
        assertThat(back.getJMSDeliveryTime()).isEqualTo(33);
        assertThat(back.getIntProperty("i")).isEqualTo(1);
        assertThat(back.getStringProperty("s")).isEqualTo("x");
        assertThat(back.getJMSRedelivered()).isFalse();
        assertThatThrownBy(() -> back.setText("no")).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> back.setIntProperty("j", 2)).isInstanceOf(MessageNotWriteableException.class);
        back.setJMSCorrelationID("headers stay writable");
    }

    @Test
    void aReceivedMessageKeepsTheWirePropertiesUntilTheApplicationChangesThem() throws JMSException {
        JmsTextMessage m = new JmsTextMessage("body");
        m.setJMSDestination(new TunnelQueue("q"));
        m.setIntProperty("i", 1);
        m.setStringProperty("s", "x");
        WireMessage wire = WireMessages.toWire(m);
        JmsMessage back = WireMessages.fromWire(wire);
        assertThat(back.getIntProperty("i")).isEqualTo(1);
        assertThat(Collections.list(back.getPropertyNames())).containsExactlyInAnyOrder("i", "s");
        assertThat(WireMessages.toWire(back).properties()).as("forwarded as received: no copy")
                .isSameAs(wire.properties());

        back.clearProperties();
        back.setLongProperty("l", 3);
        back.setIntProperty("i", 2);
        assertThat(wire.properties()).as("the wire map is not the application's").isEqualTo(Map.of("i", 1, "s", "x"));
        assertThat(WireMessages.toWire(back).properties()).isEqualTo(Map.of("l", 3L, "i", 2));
        assertThat(back.propertyExists("s")).isFalse();
    }

    @Test
    void bodiesRoundTrip() throws JMSException {
        assertThat(roundTrip(new JmsTextMessage("ünïcode ✓")).getText()).isEqualTo("ünïcode ✓");
        assertThat(roundTrip(new JmsTextMessage()).getText()).isNull();

        JmsBytesMessage bytes = new JmsBytesMessage();
        bytes.writeBytes(new byte[] {1, 2, 3});
        JmsBytesMessage bytesBack = roundTrip(bytes);
        assertThat(bytesBack.getBodyLength()).isEqualTo(3);
        assertThat(bytesBack.readByte()).isEqualTo((byte) 1);
        assertThat(roundTrip(new JmsBytesMessage()).getBodyLength()).isZero();

        JmsMapMessage map = new JmsMapMessage();
        map.setChar("c", 'c');
        map.setBytes("b", new byte[] {4});
        map.setDouble("d", 2.5);
        map.setString("n", null);
        JmsMapMessage mapBack = roundTrip(map);
        assertThat(mapBack.getChar("c")).isEqualTo('c');
        assertThat(mapBack.getBytes("b")).containsExactly(4);
        assertThat(mapBack.getDouble("d")).isEqualTo(2.5);
        assertThat(mapBack.itemExists("n")).isTrue();
        assertThat(Collections.list(mapBack.getMapNames())).containsExactly("c", "b", "d", "n");

        JmsStreamMessage stream = new JmsStreamMessage();
        stream.writeInt(1);
        stream.writeBytes(new byte[] {2});
        stream.writeObject(null);
        stream.writeString("s");
        JmsStreamMessage streamBack = roundTrip(stream);
        assertThat(streamBack.readInt()).isEqualTo(1);
        assertThat(streamBack.readObject()).isEqualTo(new byte[] {2});
        assertThat(streamBack.readObject()).isNull();
        assertThat(streamBack.readString()).isEqualTo("s");

        JmsObjectMessage object = new JmsObjectMessage();
        object.setObject(new ArrayList<>(List.of(1, 2)));
        assertThat(roundTrip(object).getObject()).isEqualTo(List.of(1, 2));

        JmsMessage plain = roundTrip(new JmsMessage());
        assertThat(plain.getClass()).isEqualTo(JmsMessage.class);
    }

    @Test
    void aWireDestinationMakesItsOwnKindOfDestinationEachTime() {
        WireDestination queue = WireDestination.queue("same.name");
        WireDestination topic = WireDestination.topic("same.name");
        for (int i = 0; i < 2; i++) { // the second time from the table of recent ones
            assertThat(WireDestinations.fromWire(queue)).isInstanceOf(TunnelQueue.class).isEqualTo(new TunnelQueue("same.name"));
            assertThat(WireDestinations.fromWire(topic)).isInstanceOf(TunnelTopic.class).isEqualTo(new TunnelTopic("same.name"));
        }
        assertThat(WireDestinations.fromWire(queue)).isSameAs(WireDestinations.fromWire(queue));
        assertThat(WireDestinations.fromWire(new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.q.1")))
                .isInstanceOf(TunnelTemporaryQueue.class);
    }

    @Test
    void emptyBodiesTravelAsNoBody() throws JMSException {
        JmsMapMessage map = new JmsMapMessage();
        map.setJMSDestination(new TunnelQueue("q"));
        assertThat(WireMessages.toWire(map).body()).isNull();
        assertThat(WireMessages.toWire(map).bodyType()).isEqualTo(BodyType.MAP);
    }

    @Test
    void correlationIdBytesRoundTripExactly() throws JMSException {
        JmsMessage m = new JmsMessage();
        byte[] id = {0, (byte) 0xFF, 0x7F, (byte) 0x80};
        m.setJMSCorrelationIDAsBytes(id);
        assertThat(roundTrip(m).getJMSCorrelationIDAsBytes()).containsExactly(id);
    }

    @Test
    void malformedBodiesAreFormatErrors() {
        WireMessage broken = new WireMessage(WireDestination.queue("q"), "ID:x", 0, null, null, null, true, 4, 0, 0,
                Map.of(), BodyType.MAP, new byte[] {0, 0, 0, 5, 1});
        assertThatThrownBy(() -> WireMessages.fromWire(broken)).isInstanceOf(MessageFormatException.class)
                .hasMessageContaining("ID:x");
        WireMessage brokenStream = new WireMessage(WireDestination.queue("q"), "ID:y", 0, null, null, null, true, 4,
                0, 0, Map.of(), BodyType.STREAM, new byte[] {0, 0, 0, 1, 5, 0, 0, 0, 1, 9});
        assertThatThrownBy(() -> WireMessages.fromWire(brokenStream)).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void destinationsOfOtherProvidersMapByName() throws JMSException {
        Queue foreign = mock(Queue.class);
        when(foreign.getQueueName()).thenReturn("orders");
        assertThat(WireMessages.toWireDestination(foreign)).isEqualTo(WireDestination.queue("orders"));
        assertThat(WireMessages.toWireDestination(new TunnelTemporaryQueue("t", null)).kind())
                .isEqualTo(WireDestination.Kind.TEMPORARY_QUEUE);
        assertThatThrownBy(() -> WireMessages.toWireDestination(mock(TemporaryQueue.class)))
                .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("another JMS provider");
        assertThatThrownBy(() -> WireMessages.toWireDestination(null)).isInstanceOf(InvalidDestinationException.class);
        assertThatThrownBy(() -> WireMessages.toWireDestination(mock(jakarta.jms.Destination.class)))
                .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("neither a Queue nor a Topic");
        JmsMessage noDestination = new JmsMessage();
        assertThatThrownBy(() -> WireMessages.toWire(noDestination)).isInstanceOf(InvalidDestinationException.class);
    }

    @Test
    void messagesOfOtherProvidersAreConverted() throws JMSException {
        TextMessage foreign = mock(TextMessage.class);
        when(foreign.getText()).thenReturn("from elsewhere");
        when(foreign.getJMSDestination()).thenReturn(new TunnelQueue("q"));
        when(foreign.getJMSPriority()).thenReturn(9999);
        when(foreign.getJMSCorrelationID()).thenReturn("c");
        when(foreign.getPropertyNames()).thenReturn(new Vector<>(List.of("p")).elements());
        when(foreign.getObjectProperty("p")).thenReturn(42);
        JmsMessage own = WireMessages.asOwn(foreign);
        // the headers a send sets are left to the send, whatever the other provider's message holds
        assertThat(own.getJMSDestination()).isNull();
        assertThat(own.getJMSPriority()).isEqualTo(Message.DEFAULT_PRIORITY);
        own.setJMSDestination(new TunnelQueue("q"));
        WireMessage wire = WireMessages.toWire(own);
        assertThat(wire.bodyType()).isEqualTo(BodyType.TEXT);
        assertThat(new String(wire.body(), StandardCharsets.UTF_8)).isEqualTo("from elsewhere");
        assertThat(wire.correlationId()).isEqualTo("c");
        assertThat(wire.properties()).containsEntry("p", 42);

        MapMessage foreignMap = mock(MapMessage.class);
        when(foreignMap.getPropertyNames()).thenReturn(Collections.emptyEnumeration());
        when(foreignMap.getMapNames()).thenReturn(new Vector<>(List.of("k")).elements());
        when(foreignMap.getObject("k")).thenReturn("v");
        JmsMessage ownMap = WireMessages.asOwn(foreignMap);
        ownMap.setJMSDestination(new TunnelQueue("q"));
        JmsMapMessage back = (JmsMapMessage) WireMessages.fromWire(WireMessages.toWire(ownMap));
        assertThat(back.getString("k")).isEqualTo("v");
    }

    /** Records what the session was asked to do. */
    static final class RecordingControl implements DeliveryControl {
        final List<String> calls = new ArrayList<>();

        @Override
        public void acknowledge(JmsMessage message) {
            calls.add("ack " + message.lockToken());
        }

        @Override
        public void settle(JmsMessage message, LockOutcome outcome, String reason) {
            calls.add(outcome + " " + message.lockToken() + (reason == null ? "" : " " + reason));
        }

        @Override
        public long renewLock(JmsMessage message) {
            calls.add("RENEW " + message.lockToken());
            renewedUntil = System.currentTimeMillis() + 60_000;
            return renewedUntil;
        }

        @Override
        public long lockedUntil(JmsMessage message) {
            return engineLockedUntil;
        }

        long renewedUntil;
        long engineLockedUntil;
    }

    @Test
    void receivedMessagesCarryTheirLockState() throws JMSException {
        WireMessage w = new WireMessage(WireDestination.queue("q"), "ID:z", 0, null, null, null, true, 4, 0, 0,
                Map.of("JMSXDeliveryCount", 99, "app", "a"), BodyType.TEXT, "t".getBytes(StandardCharsets.UTF_8));
        long now = System.currentTimeMillis();
        RecordingControl control = new RecordingControl();
        JmsMessage m = WireMessages.fromDelivery(new Delivery(1, 77, 3, now + 30_000, w), control);
        LockedMessage locked = m;
        assertThat(m.getJMSRedelivered()).isTrue();
        assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(3);
        assertThat(m.getLongProperty(LockedMessage.LOCKED_UNTIL_PROPERTY)).isEqualTo(now + 30_000);
        assertThat(m.getStringProperty(LockedMessage.LOCK_TOKEN_PROPERTY)).isEqualTo("77");
        assertThat(Collections.list(m.getPropertyNames())).contains("app", "JMSXDeliveryCount",
                LockedMessage.LOCKED_UNTIL_PROPERTY, LockedMessage.LOCK_TOKEN_PROPERTY);
        assertThat(locked.getDeliveryCount()).isEqualTo(3);
        assertThat(locked.getLockToken()).isEqualTo("77");

        locked.complete();
        locked.abandon();
        locked.deadLetter("poison");
        m.acknowledge();
        locked.renewLock();
        assertThat(locked.getLockedUntil()).isEqualTo(control.renewedUntil);
        control.engineLockedUntil = control.renewedUntil + 5_000; // the engine renewed it by itself
        assertThat(m.getLongProperty(LockedMessage.LOCKED_UNTIL_PROPERTY)).isEqualTo(control.renewedUntil + 5_000);
        control.engineLockedUntil = 0; // settled: the last known expiry stays
        assertThat(locked.getLockedUntil()).isEqualTo(control.renewedUntil + 5_000);
        assertThat(control.calls).containsExactly("COMPLETE 77", "ABANDON 77", "DEAD_LETTER 77 poison", "ack 77",
                "RENEW 77");

        // resending a received message does not carry the delivery state
        m.setJMSDestination(new TunnelQueue("elsewhere"));
        assertThat(WireMessages.toWire(m).properties()).doesNotContainKeys(LockedMessage.LOCKED_UNTIL_PROPERTY,
                LockedMessage.LOCK_TOKEN_PROPERTY);
    }

    @Test
    void messagesCreatedByTheApplicationHoldNoLock() throws JMSException {
        Message m = new JmsTextMessage("mine");
        LockedMessage locked = (LockedMessage) m;
        assertThatThrownBy(locked::complete).isInstanceOf(IllegalStateException.class).hasMessageContaining("no lock");
        assertThatThrownBy(locked::renewLock).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(locked::getLockedUntil).isInstanceOf(IllegalStateException.class);
        m.acknowledge(); // no session: nothing to do
        assertThat(m.propertyExists("JMSXDeliveryCount")).isFalse();
    }
}
