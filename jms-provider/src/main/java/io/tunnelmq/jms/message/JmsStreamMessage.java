package io.tunnelmq.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.StreamMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * A message whose body is a sequence of typed values, read in the order written following the JMS conversion
 * table. A read that fails with {@link MessageFormatException} or {@link NumberFormatException} leaves the
 * position unchanged, as the spec requires. A byte array value may be read in pieces with
 * {@link #readBytes(byte[])}; while one is partly read, other reads fail. {@link #getBody(Class)} always fails
 * for stream messages (JMS 2.0).
 */
public class JmsStreamMessage extends JmsMessage implements StreamMessage {
    private final List<Object> values = new ArrayList<>();
    private int position;
    /** Bytes of the byte[] value being read by readBytes, or -1 when none is in progress. */
    private int bytesRead = -1;

    public JmsStreamMessage() {
    }

    /** The values as they stand (byte arrays are not copied: callers must not change them). */
    List<Object> values() {
        return values;
    }

    void setReceived(List<Object> received) {
        values.addAll(received);
        position = 0;
        bytesRead = -1;
        setBodyReadOnly(true);
    }

    @Override
    public void reset() {
        position = 0;
        bytesRead = -1;
        setBodyReadOnly(true);
    }

    @Override
    void clearBodyContent() {
        values.clear();
        position = 0;
        bytesRead = -1;
    }

    @Override
    boolean hasBody() {
        return !values.isEmpty();
    }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        throw new MessageFormatException("the body of a StreamMessage cannot be returned by getBody(); read it "
                + "with the read methods");
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        return false;
    }

    @Override
    String kind() {
        return "StreamMessage";
    }

    // ---- reading ----

    @Override
    public boolean readBoolean() throws JMSException {
        boolean v = TypeConversions.toBoolean(peek());
        position++;
        return v;
    }

    @Override
    public byte readByte() throws JMSException {
        byte v = TypeConversions.toByte(peek());
        position++;
        return v;
    }

    @Override
    public short readShort() throws JMSException {
        short v = TypeConversions.toShort(peek());
        position++;
        return v;
    }

    @Override
    public char readChar() throws JMSException {
        char v = TypeConversions.toChar(peek());
        position++;
        return v;
    }

    @Override
    public int readInt() throws JMSException {
        int v = TypeConversions.toInt(peek());
        position++;
        return v;
    }

    @Override
    public long readLong() throws JMSException {
        long v = TypeConversions.toLong(peek());
        position++;
        return v;
    }

    @Override
    public float readFloat() throws JMSException {
        float v = TypeConversions.toFloat(peek());
        position++;
        return v;
    }

    @Override
    public double readDouble() throws JMSException {
        double v = TypeConversions.toDouble(peek());
        position++;
        return v;
    }

    @Override
    public String readString() throws JMSException {
        String v = TypeConversions.toText(peek());
        position++;
        return v;
    }

    @Override
    public Object readObject() throws JMSException {
        Object v = peek();
        position++;
        return v instanceof byte[] b ? b.clone() : v;
    }

    @Override
    public int readBytes(byte[] value) throws JMSException {
        checkReadable();
        if (bytesRead == -1) {
            Object v = peek();
            if (v == null) {
                position++;
                return -1;
            }
            if (!(v instanceof byte[])) {
                throw new MessageFormatException("the next value is a " + TypeConversions.typeName(v)
                        + " and cannot be read with readBytes");
            }
            bytesRead = 0;
        }
        byte[] field = (byte[]) values.get(position);
        int remaining = field.length - bytesRead;
        if (remaining == 0 && bytesRead > 0) {
            // the previous call filled the buffer exactly: this one reports the end of the field
            endBytes();
            return -1;
        }
        int n = Math.min(value.length, remaining);
        System.arraycopy(field, bytesRead, value, 0, n);
        bytesRead += n;
        if (n < value.length) {
            endBytes();
        }
        return n;
    }

    private void endBytes() {
        bytesRead = -1;
        position++;
    }

    /** The value at the read position, without moving it. */
    private Object peek() throws JMSException {
        checkReadable();
        if (bytesRead != -1) {
            throw new MessageFormatException("a byte[] value is partly read; call readBytes until it returns less "
                    + "than the buffer length (or -1) before reading other values");
        }
        if (position >= values.size()) {
            throw new MessageEOFException("the end of the StreamMessage was reached (" + values.size()
                    + " values)");
        }
        return values.get(position);
    }

    private void checkReadable() throws MessageNotReadableException {
        if (!isBodyReadOnly()) {
            throw new MessageNotReadableException("this StreamMessage is write-only; call reset() before reading it");
        }
    }

    // ---- writing ----

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        add(value);
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        add(value);
    }

    @Override
    public void writeShort(short value) throws JMSException {
        add(value);
    }

    @Override
    public void writeChar(char value) throws JMSException {
        add(value);
    }

    @Override
    public void writeInt(int value) throws JMSException {
        add(value);
    }

    @Override
    public void writeLong(long value) throws JMSException {
        add(value);
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        add(value);
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        add(value);
    }

    @Override
    public void writeString(String value) throws JMSException {
        add(value);
    }

    @Override
    public void writeBytes(byte[] value) throws JMSException {
        add(value == null ? null : value.clone());
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        byte[] copy = new byte[length];
        System.arraycopy(value, offset, copy, 0, length);
        add(copy);
    }

    @Override
    public void writeObject(Object value) throws JMSException {
        if (!TypeConversions.isBodyValueType(value)) {
            throw new MessageFormatException("StreamMessage.writeObject cannot write a " + value.getClass().getName()
                    + ": only boxed primitives, String and byte[] are allowed");
        }
        add(value instanceof byte[] b ? b.clone() : value);
    }

    private void add(Object value) throws JMSException {
        checkBodyWritable();
        values.add(value);
    }
}
