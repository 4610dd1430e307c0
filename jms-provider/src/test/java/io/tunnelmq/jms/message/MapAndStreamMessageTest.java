package io.tunnelmq.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Collections;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MapMessage and StreamMessage: the §3.11.3 conversion table (with char and byte[]), modes and edge cases. */
@Timeout(10)
class MapAndStreamMessageTest {

    @Test
    void mapConversionsIncludingCharAndBytes() throws JMSException {
        JmsMapMessage m = new JmsMapMessage();
        m.setChar("c", 'x');
        m.setBytes("b", new byte[] {1, 2, 3});
        m.setShort("s", (short) 5);
        m.setString("str", "9");
        m.setFloat("f", 1.5f);
        assertThat(m.getChar("c")).isEqualTo('x');
        assertThat(m.getString("c")).isEqualTo("x");
        assertThatThrownBy(() -> m.getInt("c")).isInstanceOf(MessageFormatException.class);
        assertThat(m.getBytes("b")).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> m.getString("b")).isInstanceOf(MessageFormatException.class);
        assertThat(m.getLong("s")).isEqualTo(5L);
        assertThatThrownBy(() -> m.getByte("s")).isInstanceOf(MessageFormatException.class);
        assertThat(m.getInt("str")).isEqualTo(9);
        assertThatThrownBy(() -> m.getChar("str")).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> m.getBytes("str")).isInstanceOf(MessageFormatException.class);
        assertThat(m.getDouble("f")).isEqualTo(1.5d);
        assertThatThrownBy(() -> m.getChar("missing")).isInstanceOf(NullPointerException.class);
        assertThat(m.getBytes("missing")).isNull();
        assertThatThrownBy(() -> m.getInt("missing")).isInstanceOf(NumberFormatException.class);
        assertThat(Collections.list(m.getMapNames())).containsExactly("c", "b", "s", "str", "f");
        assertThat(m.itemExists("c")).isTrue();
    }

    @Test
    void mapCopiesByteArraysAndChecksNamesAndTypes() throws JMSException {
        JmsMapMessage m = new JmsMapMessage();
        byte[] bytes = {1, 2, 3, 4};
        m.setBytes("part", bytes, 1, 2);
        m.setBytes("all", bytes);
        bytes[1] = 99;
        assertThat(m.getBytes("part")).containsExactly(2, 3);
        assertThat(m.getBytes("all")).containsExactly(1, 2, 3, 4);
        assertThatThrownBy(() -> m.setInt(null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.setInt("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.setObject("o", new Object())).isInstanceOf(MessageFormatException.class);
        m.setObject("ok", 3L);
        assertThat(m.getObject("ok")).isEqualTo(3L);
    }

    @Test
    void mapBodyAndReadOnlyMode() throws JMSException {
        JmsMapMessage m = new JmsMapMessage();
        assertThat(m.getBody(Map.class)).isNull();
        m.setInt("a", 1);
        assertThat(m.getBody(Map.class)).containsEntry("a", 1);
        assertThat(m.isBodyAssignableTo(Map.class)).isTrue();
        assertThat(m.isBodyAssignableTo(String.class)).isFalse();
        assertThatThrownBy(() -> m.getBody(String.class)).isInstanceOf(MessageFormatException.class);
        m.markReadOnly();
        assertThatThrownBy(() -> m.setInt("b", 2)).isInstanceOf(MessageNotWriteableException.class);
        m.clearBody();
        assertThat(m.itemExists("a")).isFalse();
        m.setInt("b", 2);
    }

    @Test
    void streamIsWriteOnlyUntilResetThenReadOnly() throws JMSException {
        JmsStreamMessage m = new JmsStreamMessage();
        m.writeInt(1);
        assertThatThrownBy(m::readInt).isInstanceOf(MessageNotReadableException.class);
        m.reset();
        assertThatThrownBy(() -> m.writeInt(2)).isInstanceOf(MessageNotWriteableException.class);
        assertThat(m.readInt()).isEqualTo(1);
        assertThatThrownBy(m::readInt).isInstanceOf(MessageEOFException.class);
        m.clearBody();
        m.writeString("again");
        m.reset();
        assertThat(m.readString()).isEqualTo("again");
    }

    @Test
    void failedConversionDoesNotMoveThePosition() throws JMSException {
        JmsStreamMessage m = new JmsStreamMessage();
        m.writeString("abc");
        m.writeLong(5L);
        m.writeChar('z');
        m.reset();
        assertThatThrownBy(m::readInt).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(m::readChar).isInstanceOf(MessageFormatException.class);
        assertThat(m.readString()).isEqualTo("abc");
        assertThatThrownBy(m::readInt).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(m::readBoolean).isInstanceOf(MessageFormatException.class);
        assertThat(m.readObject()).isEqualTo(5L);
        assertThat(m.readString()).isEqualTo("z");
    }

    @Test
    void nullValuesInAStream() throws JMSException {
        JmsStreamMessage m = new JmsStreamMessage();
        m.writeObject(null);
        m.writeObject(null);
        m.writeObject(null);
        m.writeBytes(null);
        m.reset();
        assertThat(m.readString()).isNull();
        assertThatThrownBy(m::readInt).isInstanceOf(NumberFormatException.class);
        assertThat(m.readBoolean()).isFalse();
        assertThat(m.readObject()).isNull();
        assertThat(m.readBytes(new byte[4])).isEqualTo(-1);
        assertThatThrownBy(m::readObject).isInstanceOf(MessageEOFException.class);
    }

    @Test
    void readBytesInPieces() throws JMSException {
        JmsStreamMessage m = new JmsStreamMessage();
        m.writeBytes(new byte[] {1, 2, 3, 4, 5});
        m.writeBytes(new byte[] {6, 7});
        m.writeBytes(new byte[0]);
        m.writeInt(8);
        m.reset();
        byte[] buf = new byte[2];
        assertThat(m.readBytes(buf)).isEqualTo(2);
        assertThat(buf).containsExactly(1, 2);
        assertThatThrownBy(m::readInt).isInstanceOf(MessageFormatException.class).hasMessageContaining("partly read");
        assertThat(m.readBytes(buf)).isEqualTo(2);
        assertThat(m.readBytes(buf)).isEqualTo(1);
        assertThat(buf[0]).isEqualTo((byte) 5);
        assertThat(m.readBytes(buf)).isEqualTo(2);
        assertThat(buf).containsExactly(6, 7);
        assertThat(m.readBytes(buf)).isEqualTo(-1);
        assertThat(m.readBytes(buf)).isZero();
        assertThatThrownBy(() -> m.readBytes(buf)).isInstanceOf(MessageFormatException.class);
        assertThat(m.readInt()).isEqualTo(8);
    }

    @Test
    void streamRejectsOtherObjectsAndHasNoGetBody() throws JMSException {
        JmsStreamMessage m = new JmsStreamMessage();
        assertThatThrownBy(() -> m.writeObject(new Object())).isInstanceOf(MessageFormatException.class);
        m.writeObject('c');
        m.writeObject(new byte[] {1});
        assertThat(m.isBodyAssignableTo(Object.class)).isFalse();
        assertThatThrownBy(() -> m.getBody(Object.class)).isInstanceOf(MessageFormatException.class);
    }
}
