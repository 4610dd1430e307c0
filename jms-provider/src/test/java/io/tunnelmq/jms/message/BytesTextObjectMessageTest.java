package io.tunnelmq.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.EOFException;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BytesMessage modes and encodings, TextMessage, ObjectMessage and its deserialization allow-list. */
@Timeout(10)
class BytesTextObjectMessageTest {

    /** A class outside the default allow-list (its package is io.tunnelmq...). */
    record Order(String id, int quantity) implements Serializable {
    }

    @AfterEach
    void clearAllowList() {
        System.clearProperty(SerializablePackages.PROPERTY);
    }

    @Test
    void bytesRoundTripEveryType() throws JMSException {
        JmsBytesMessage m = new JmsBytesMessage();
        m.writeBoolean(true);
        m.writeByte((byte) -2);
        m.writeShort((short) -3);
        m.writeChar('c');
        m.writeInt(4);
        m.writeLong(5L);
        m.writeFloat(6.5f);
        m.writeDouble(7.5);
        m.writeUTF("héllo");
        m.writeBytes(new byte[] {9, 10, 11}, 1, 2);
        m.writeObject(12);
        m.reset();
        assertThat(m.getBodyLength()).isGreaterThan(30);
        assertThat(m.readBoolean()).isTrue();
        assertThat(m.readUnsignedByte()).isEqualTo(254);
        assertThat(m.readShort()).isEqualTo((short) -3);
        assertThat(m.readChar()).isEqualTo('c');
        assertThat(m.readInt()).isEqualTo(4);
        assertThat(m.readLong()).isEqualTo(5L);
        assertThat(m.readFloat()).isEqualTo(6.5f);
        assertThat(m.readDouble()).isEqualTo(7.5);
        assertThat(m.readUTF()).isEqualTo("héllo");
        byte[] two = new byte[2];
        assertThat(m.readBytes(two)).isEqualTo(2);
        assertThat(two).containsExactly(10, 11);
        assertThat(m.readInt()).isEqualTo(12);
        assertThat(m.readBytes(two)).isEqualTo(-1);
        assertThatThrownBy(m::readByte).isInstanceOf(MessageEOFException.class)
                .satisfies(e -> assertThat(((JMSException) e).getLinkedException()).isInstanceOf(EOFException.class)
                        .isSameAs(e.getCause()));
        m.reset();
        assertThat(m.readBoolean()).isTrue();
    }

    @Test
    void bytesModes() throws JMSException {
        JmsBytesMessage m = new JmsBytesMessage();
        assertThatThrownBy(m::readInt).isInstanceOf(MessageNotReadableException.class);
        assertThatThrownBy(m::getBodyLength).isInstanceOf(MessageNotReadableException.class);
        assertThat(m.getBody(byte[].class)).isNull();
        m.writeInt(1);
        assertThat(m.getBody(byte[].class)).containsExactly(0, 0, 0, 1);
        m.reset();
        assertThatThrownBy(() -> m.writeInt(2)).isInstanceOf(MessageNotWriteableException.class);
        assertThat(m.getBody(byte[].class)).hasSize(4);
        assertThatThrownBy(() -> m.getBody(String.class)).isInstanceOf(MessageFormatException.class);
        m.clearBody();
        m.writeInt(3);
        assertThatThrownBy(() -> m.writeObject(new Object())).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.writeObject(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.readBytes(new byte[1], 2)).isInstanceOf(MessageNotReadableException.class);
        m.reset();
        assertThatThrownBy(() -> m.readBytes(new byte[1], 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void textBody() throws JMSException {
        JmsTextMessage m = new JmsTextMessage();
        assertThat(m.getBody(String.class)).isNull();
        assertThat(m.isBodyAssignableTo(Integer.class)).isTrue(); // no body: anything goes
        m.setText("hi");
        assertThat(m.getBody(String.class)).isEqualTo("hi");
        assertThat(m.getBody(Object.class)).isEqualTo("hi");
        assertThat(m.isBodyAssignableTo(Integer.class)).isFalse();
        assertThatThrownBy(() -> m.getBody(Integer.class)).isInstanceOf(MessageFormatException.class);
        m.markReadOnly();
        assertThatThrownBy(() -> m.setText("no")).isInstanceOf(MessageNotWriteableException.class);
        m.clearBody();
        assertThat(m.getText()).isNull();
        m.setText("yes");
    }

    @Test
    void plainMessageHasNoBody() throws JMSException {
        JmsMessage m = new JmsMessage();
        assertThat(m.getBody(String.class)).isNull();
        assertThat(m.isBodyAssignableTo(String.class)).isTrue();
    }

    @Test
    void objectIsSerializedWhenSet() throws JMSException {
        JmsObjectMessage m = new JmsObjectMessage();
        assertThat(m.getObject()).isNull();
        ArrayList<String> list = new ArrayList<>(List.of("a"));
        m.setObject(list);
        list.add("b");
        assertThat(m.getObject()).isEqualTo(List.of("a"));
        assertThat(m.getBody(List.class)).isEqualTo(List.of("a"));
        assertThat(m.isBodyAssignableTo(String.class)).isFalse();
        assertThatThrownBy(() -> m.getBody(String.class)).isInstanceOf(MessageFormatException.class);
        m.markReadOnly();
        assertThatThrownBy(() -> m.setObject("x")).isInstanceOf(MessageNotWriteableException.class);
    }

    @Test
    void deserializationIsLimitedToTheAllowList() throws JMSException {
        JmsObjectMessage m = new JmsObjectMessage();
        m.setObject(new Order("o-1", 2));
        assertThatThrownBy(m::getObject).isInstanceOf(MessageFormatException.class)
                .hasMessageContaining(SerializablePackages.PROPERTY);
        assertThat(m.isBodyAssignableTo(Order.class)).isFalse();

        System.setProperty(SerializablePackages.PROPERTY, "com.example., io.tunnelmq.jms.message.");
        assertThat(m.getObject()).isEqualTo(new Order("o-1", 2));

        System.setProperty(SerializablePackages.PROPERTY, "*");
        assertThat(m.getBody(Order.class)).isEqualTo(new Order("o-1", 2));
    }

    @Test
    void aBodyNestedTooDeepIsAFormatErrorNotAStackOverflow() throws Exception {
        Object[] nested = new Object[1];
        Object[] innermost = nested;
        for (int i = 0; i < 20_000; i++) {
            Object[] next = new Object[1];
            innermost[0] = next;
            innermost = next;
        }
        // writing recurses as deep as reading would: a thread with a stack big enough for it
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Thread writer = new Thread(null, () -> {
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(nested);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "deep-writer", 1L << 30);
        writer.start();
        writer.join();
        JmsObjectMessage m = new JmsObjectMessage();
        m.setSerialized(bytes.toByteArray());

        assertThatThrownBy(m::getObject).isInstanceOf(MessageFormatException.class)
                .hasMessage("the ObjectMessage body nests objects deeper than 1000 levels: it is refused as corrupt"
                        + " or hostile");
        Object[] shallow = new Object[1];
        shallow[0] = new Object[] {"fine"};
        m.clearBody();
        m.setObject(shallow);
        assertThat(((Object[]) ((Object[]) m.getObject())[0])[0]).isEqualTo("fine");
    }

    /** Found by DeliveredMessageFuzzTest: ObjectInputStream answered this stream with a NullPointerException. */
    @Test
    void aCorruptObjectBodyIsAFormatError() {
        JmsObjectMessage m = new JmsObjectMessage();
        // the stream header, then TC_CLASS whose class descriptor is TC_NULL
        m.setSerialized(new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5, 0x76, 0x70});

        assertThatThrownBy(m::getObject).isInstanceOf(MessageFormatException.class)
                .hasMessageStartingWith("the ObjectMessage body is corrupt: java.lang.NullPointerException")
                .satisfies(e -> assertThat(((JMSException) e).getLinkedException())
                        .isInstanceOf(NullPointerException.class).isSameAs(e.getCause()));
    }

    /** Found by DeliveredMessageFuzzTest: a list announcing more elements than its body has bytes ran out of heap. */
    @Test
    void anArrayLongerThanTheBodyIsRefusedBeforeItIsAllocated() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new ArrayList<>(List.of("a")));
        }
        byte[] body = bytes.toByteArray();
        // the end of an ArrayList: its size field, a block of its capacity (2 + 4 bytes), "a" (4), end of block (1)
        int sizeAt = body.length - 1 - 4 - 6 - 4;
        assertThat(java.nio.ByteBuffer.wrap(body, sizeAt, 4).getInt()).as("the size field").isEqualTo(1);
        java.nio.ByteBuffer.wrap(body, sizeAt, 4).putInt(Integer.MAX_VALUE - 8);
        JmsObjectMessage m = new JmsObjectMessage();
        m.setSerialized(body);

        assertThatThrownBy(m::getObject).isInstanceOf(MessageFormatException.class)
                .hasMessageContaining("cannot deserialize the ObjectMessage body");
    }

    /** Found by DeliveredMessageFuzzTest: getBody threw a NullPointerException for a serialized null. */
    @Test
    void aSerializedNullIsANullBody() throws JMSException {
        JmsObjectMessage m = new JmsObjectMessage();
        m.setSerialized(new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5, 0x70}); // the stream header, then TC_NULL

        assertThat(m.getObject()).isNull();
        assertThat(m.getBody(String.class)).isNull();
    }

    @Test
    void unserializableObjectIsAFormatError() {
        JmsObjectMessage m = new JmsObjectMessage();
        assertThatThrownBy(() -> m.setObject(new ArrayList<>(List.of(new Object()))))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("cannot serialize")
                .satisfies(e -> assertThat(((JMSException) e).getLinkedException())
                        .isInstanceOf(NotSerializableException.class).isSameAs(e.getCause()));
    }

    @Test
    void arraysOfAllowedClassesAndPrimitivesDeserialize() throws JMSException {
        JmsObjectMessage m = new JmsObjectMessage();
        m.setObject(new int[][] {{1, 2}, {3}});
        assertThat((int[][]) m.getObject()).isDeepEqualTo(new int[][] {{1, 2}, {3}});
        m.setObject(new String[] {"a"});
        assertThat((String[]) m.getObject()).containsExactly("a");
    }
}
