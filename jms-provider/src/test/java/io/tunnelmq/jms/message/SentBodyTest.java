package io.tunnelmq.jms.message;

import io.tunnelmq.jms.TunnelQueue;
import io.tunnelmq.protocol.message.WireMessage;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageNotWriteableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A message's wire body is handed to a send without copies where it can be, and yet a message modified after a
 * send and sent again never changes what the first send carried.
 */
@Timeout(10)
class SentBodyTest {

    private static WireMessage send(JmsMessage m) throws JMSException {
        m.setJMSDestination(new TunnelQueue("q"));
        return WireMessages.toWire(m);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    @Test
    void aBytesMessageWrittenAfterASendLeavesTheFirstSendUnchanged() throws JMSException {
        JmsBytesMessage m = new JmsBytesMessage();
        m.writeBytes(bytes(1024));
        WireMessage first = send(m);
        byte[] firstBody = first.body().clone();

        m.writeInt(0x01020304);
        m.writeBytes(new byte[] {9, 9});
        WireMessage second = send(m);

        assertThat(first.body()).isEqualTo(firstBody).hasSize(1024);
        assertThat(second.body()).hasSize(1030).startsWith(firstBody).endsWith(1, 2, 3, 4, 9, 9);
        assertThat(second.sizeEstimate() - first.sizeEstimate()).isEqualTo(6);
    }

    @Test
    void aBytesMessageClearedAfterASendLeavesTheFirstSendUnchanged() throws JMSException {
        JmsBytesMessage m = new JmsBytesMessage();
        m.writeUTF("first");
        WireMessage first = send(m);
        byte[] firstBody = first.body().clone();

        m.clearBody();
        m.writeUTF("second, longer");
        WireMessage second = send(m);

        assertThat(first.body()).isEqualTo(firstBody);
        JmsBytesMessage firstBack = (JmsBytesMessage) WireMessages.fromWire(first);
        JmsBytesMessage secondBack = (JmsBytesMessage) WireMessages.fromWire(second);
        assertThat(firstBack.readUTF()).isEqualTo("first");
        assertThat(secondBack.readUTF()).isEqualTo("second, longer");
    }

    @Test
    void aBytesMessageSentUnchangedTwiceSharesOneBody() throws JMSException {
        JmsBytesMessage m = new JmsBytesMessage();
        m.writeBytes(bytes(1024));
        WireMessage first = send(m);
        WireMessage second = send(m);
        assertThat(second.body()).isSameAs(first.body()).isEqualTo(bytes(1024));
    }

    @Test
    void aResetBytesMessageIsReadableAfterItsBodyWasSent() throws JMSException {
        JmsBytesMessage m = new JmsBytesMessage();
        m.writeLong(42);
        WireMessage sent = send(m);
        m.reset();
        assertThat(m.readLong()).isEqualTo(42);
        assertThat(m.getBodyLength()).isEqualTo(8);
        assertThatThrownBy(() -> m.writeInt(1)).isInstanceOf(MessageNotWriteableException.class);
        assertThat(send(m).body()).isEqualTo(sent.body());
    }

    @Test
    void aReceivedBytesMessageReadsFromTheStartAndAgainAfterReset() throws JMSException {
        JmsBytesMessage m = new JmsBytesMessage();
        m.writeInt(7);
        m.writeUTF("x");
        JmsBytesMessage received = (JmsBytesMessage) WireMessages.fromWire(send(m));
        assertThat(received.getBodyLength()).isEqualTo(7);
        assertThat(received.getBody(byte[].class)).hasSize(7);
        assertThat(received.readInt()).isEqualTo(7);
        received.reset();
        assertThat(received.readInt()).isEqualTo(7);
        assertThat(received.readUTF()).isEqualTo("x");
        assertThatThrownBy(received::readByte).isInstanceOf(jakarta.jms.MessageEOFException.class);
        assertThat(received.readBytes(new byte[1], 0)).isEqualTo(-1);

        received.clearBody();
        assertThatThrownBy(received::readInt).isInstanceOf(jakarta.jms.MessageNotReadableException.class);
        received.writeShort((short) 3);
        received.reset();
        assertThat(received.readShort()).isEqualTo((short) 3);
    }

    @Test
    void propertiesChangedAfterASendLeaveTheFirstSendUnchanged() throws JMSException {
        for (int count = 0; count <= 3; count++) {
            JmsBytesMessage m = new JmsBytesMessage();
            for (int i = 0; i < count; i++) {
                m.setLongProperty("p" + i, i);
            }
            WireMessage first = send(m);
            assertThat(first.properties()).hasSize(count);
            assertThatThrownBy(() -> first.properties().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);

            m.setLongProperty("p0", 100);
            m.setStringProperty("added", "later");
            WireMessage second = send(m);
            for (int i = 0; i < count; i++) {
                assertThat(first.properties()).containsEntry("p" + i, (long) i);
            }
            assertThat(first.properties()).doesNotContainKey("added");
            assertThat(second.properties()).containsEntry("p0", 100L).containsEntry("added", "later");
            Message back = WireMessages.fromWire(first);
            assertThat(back.propertyExists("added")).isFalse();
        }
    }

    @Test
    void theBodyAnApplicationGetsIsItsOwnCopy() throws JMSException {
        JmsBytesMessage m = new JmsBytesMessage();
        m.writeBytes(bytes(16));
        WireMessage sent = send(m);
        byte[] got = m.getBody(byte[].class);
        got[0] = 100;
        assertThat(sent.body()).isEqualTo(bytes(16));

        JmsBytesMessage received = (JmsBytesMessage) WireMessages.fromWire(sent);
        byte[] receivedBody = received.getBody(byte[].class);
        receivedBody[1] = 100;
        assertThat(sent.body()).isEqualTo(bytes(16));
        assertThat(received.getBody(byte[].class)).isEqualTo(bytes(16));
    }

    @Test
    void aReceivedBytesMessageForwardedKeepsItsBody() throws JMSException {
        JmsBytesMessage m = new JmsBytesMessage();
        m.writeBytes(bytes(64));
        JmsBytesMessage received = (JmsBytesMessage) WireMessages.fromWire(send(m));
        received.readByte();
        WireMessage forwarded = send(received);
        assertThat(forwarded.body()).isEqualTo(bytes(64));
    }

    @Test
    void textMapStreamAndObjectMessagesChangedAfterASendLeaveTheFirstSendUnchanged() throws JMSException {
        JmsTextMessage text = new JmsTextMessage("one");
        WireMessage textSent = send(text);
        text.setText("two");
        assertThat(((JmsTextMessage) WireMessages.fromWire(textSent)).getText()).isEqualTo("one");

        JmsMapMessage map = new JmsMapMessage();
        map.setInt("a", 1);
        WireMessage mapSent = send(map);
        map.setInt("a", 2);
        map.setString("b", "x");
        JmsMapMessage mapBack = (JmsMapMessage) WireMessages.fromWire(mapSent);
        assertThat(mapBack.getInt("a")).isEqualTo(1);
        assertThat(mapBack.itemExists("b")).isFalse();

        JmsStreamMessage stream = new JmsStreamMessage();
        stream.writeString("s");
        WireMessage streamSent = send(stream);
        stream.writeLong(5);
        JmsStreamMessage streamBack = (JmsStreamMessage) WireMessages.fromWire(streamSent);
        assertThat(streamBack.readString()).isEqualTo("s");
        assertThatThrownBy(streamBack::readLong).isInstanceOf(jakarta.jms.MessageEOFException.class);

        JmsObjectMessage object = new JmsObjectMessage();
        ArrayList<String> list = new ArrayList<>(List.of("x"));
        object.setObject(list);
        WireMessage objectSent = send(object);
        list.add("y");
        object.setObject(list);
        assertThat(((JmsObjectMessage) WireMessages.fromWire(objectSent)).getObject()).isEqualTo(List.of("x"));
        assertThat(((JmsObjectMessage) WireMessages.fromWire(send(object))).getObject())
                .isEqualTo(List.of("x", "y"));
    }

    @Test
    void mapAndStreamBodiesOfEveryTypeRoundTripAtTheirExactSize() throws JMSException {
        String awkward = "ascii ünïcode ✓ \uD83D\uDE00 lone \uD800 surrogate";
        JmsMapMessage map = new JmsMapMessage();
        map.setBoolean("z", true);
        map.setByte("b", (byte) -3);
        map.setShort("s", (short) 300);
        map.setChar("c", '✓');
        map.setInt("i", Integer.MIN_VALUE);
        map.setLong("l", Long.MAX_VALUE);
        map.setFloat("f", 1.5f);
        map.setDouble("d", -2.25);
        map.setString("t", awkward);
        map.setString("n", null);
        map.setBytes("y", new byte[] {1, 2, 3});
        map.setString("ключ ✓", "key in unicode");
        JmsMapMessage mapBack = (JmsMapMessage) WireMessages.fromWire(send(map));
        assertThat(mapBack.getBoolean("z")).isTrue();
        assertThat(mapBack.getByte("b")).isEqualTo((byte) -3);
        assertThat(mapBack.getShort("s")).isEqualTo((short) 300);
        assertThat(mapBack.getChar("c")).isEqualTo('✓');
        assertThat(mapBack.getInt("i")).isEqualTo(Integer.MIN_VALUE);
        assertThat(mapBack.getLong("l")).isEqualTo(Long.MAX_VALUE);
        assertThat(mapBack.getFloat("f")).isEqualTo(1.5f);
        assertThat(mapBack.getDouble("d")).isEqualTo(-2.25);
        // a lone surrogate cannot be encoded in UTF-8: it travels as '?', as it always did
        assertThat(mapBack.getString("t")).isEqualTo(awkward.replace('\uD800', '?'));
        assertThat(mapBack.getString("n")).isNull();
        assertThat(mapBack.getBytes("y")).containsExactly(1, 2, 3);
        assertThat(mapBack.getString("ключ ✓")).isEqualTo("key in unicode");

        JmsStreamMessage stream = new JmsStreamMessage();
        stream.writeBoolean(false);
        stream.writeByte((byte) 1);
        stream.writeShort((short) 2);
        stream.writeChar('ü');
        stream.writeInt(3);
        stream.writeLong(4);
        stream.writeFloat(5f);
        stream.writeDouble(6);
        stream.writeString(awkward);
        stream.writeString(null);
        stream.writeBytes(new byte[] {7});
        JmsStreamMessage streamBack = (JmsStreamMessage) WireMessages.fromWire(send(stream));
        assertThat(streamBack.readBoolean()).isFalse();
        assertThat(streamBack.readByte()).isEqualTo((byte) 1);
        assertThat(streamBack.readShort()).isEqualTo((short) 2);
        assertThat(streamBack.readChar()).isEqualTo('ü');
        assertThat(streamBack.readInt()).isEqualTo(3);
        assertThat(streamBack.readLong()).isEqualTo(4);
        assertThat(streamBack.readFloat()).isEqualTo(5f);
        assertThat(streamBack.readDouble()).isEqualTo(6);
        assertThat(streamBack.readString()).isEqualTo(awkward.replace('\uD800', '?'));
        assertThat(streamBack.readString()).isNull();
        byte[] seven = new byte[1];
        assertThat(streamBack.readBytes(seven)).isEqualTo(1);
        assertThat(seven).containsExactly(7);
    }

    @Test
    void bytesMessageTypedValuesRoundTrip() throws JMSException {
        JmsBytesMessage m = new JmsBytesMessage();
        m.writeBoolean(true);
        m.writeByte((byte) -1);
        m.writeShort((short) -2);
        m.writeChar('✓');
        m.writeInt(-3);
        m.writeLong(-4);
        m.writeFloat(0.5f);
        m.writeDouble(0.25);
        m.writeUTF("ünïcode");
        m.writeObject(new byte[] {1, 2});
        m.writeBytes(new byte[] {0, 3, 4, 0}, 1, 2);
        JmsBytesMessage back = (JmsBytesMessage) WireMessages.fromWire(send(m));
        assertThat(back.readBoolean()).isTrue();
        assertThat(back.readByte()).isEqualTo((byte) -1);
        assertThat(back.readShort()).isEqualTo((short) -2);
        assertThat(back.readChar()).isEqualTo('✓');
        assertThat(back.readInt()).isEqualTo(-3);
        assertThat(back.readLong()).isEqualTo(-4);
        assertThat(back.readFloat()).isEqualTo(0.5f);
        assertThat(back.readDouble()).isEqualTo(0.25);
        assertThat(back.readUTF()).isEqualTo("ünïcode");
        byte[] rest = new byte[8];
        assertThat(back.readBytes(rest)).isEqualTo(4);
        assertThat(rest).startsWith(1, 2, 3, 4);
        assertThat(back.readBytes(rest)).isEqualTo(-1);
    }

    @Test
    void badWritesToABytesMessageAreRejected() {
        JmsBytesMessage m = new JmsBytesMessage();
        assertThatThrownBy(() -> m.writeBytes(new byte[2], 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> m.writeObject(new Object() { }))
                .isInstanceOf(jakarta.jms.MessageFormatException.class);
        assertThatThrownBy(() -> m.writeUTF("x".repeat(70_000)))
                .isInstanceOf(jakarta.jms.MessageFormatException.class);
    }
}
