package io.tunnelmq.jms.message;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;

import java.io.DataInputStream;

/**
 * A message whose body is a stream of bytes. A new or cleared message is write-only; {@link #reset()} (or
 * receipt) makes it read-only and positions it at the start. {@link #getBody(Class)} returns the whole body in
 * either mode; an empty body counts as no body. The bytes and the read position are kept by {@link BytesBody}.
 */
public class JmsBytesMessage extends JmsMessage implements BytesMessage {
    private final BytesBody body = new BytesBody();

    public JmsBytesMessage() {
    }

    /** A received message's body: read-only, positioned at the start. */
    void setContent(byte[] bytes) {
        body.received(bytes);
        setBodyReadOnly(true);
    }

    /** The body as it stands, in either mode: a copy the caller may change. */
    byte[] bodyBytes() {
        return body.copy();
    }

    /**
     * The body as it stands, in either mode, for a send: not copied, so the caller must not change it; later
     * writes to this message do not change it either (see {@link BodyBuffer}).
     */
    byte[] sharedBodyBytes() {
        return body.share();
    }

    @Override
    public long getBodyLength() throws JMSException {
        return body.length();
    }

    @Override
    public void reset() {
        body.reset();
        setBodyReadOnly(true);
    }

    @Override
    void clearBodyContent() {
        body.clear();
    }

    @Override
    boolean hasBody() {
        return !body.isEmpty();
    }

    @Override
    Object bodyAsObject() {
        return bodyBytes();
    }

    @Override
    String kind() {
        return "BytesMessage";
    }

    // ---- reading ----

    @Override
    public boolean readBoolean() throws JMSException {
        return body.read(DataInputStream::readBoolean);
    }

    @Override
    public byte readByte() throws JMSException {
        return body.read(DataInputStream::readByte);
    }

    @Override
    public int readUnsignedByte() throws JMSException {
        return body.read(DataInputStream::readUnsignedByte);
    }

    @Override
    public short readShort() throws JMSException {
        return body.read(DataInputStream::readShort);
    }

    @Override
    public int readUnsignedShort() throws JMSException {
        return body.read(DataInputStream::readUnsignedShort);
    }

    @Override
    public char readChar() throws JMSException {
        return body.read(DataInputStream::readChar);
    }

    @Override
    public int readInt() throws JMSException {
        return body.read(DataInputStream::readInt);
    }

    @Override
    public long readLong() throws JMSException {
        return body.read(DataInputStream::readLong);
    }

    @Override
    public float readFloat() throws JMSException {
        return body.read(DataInputStream::readFloat);
    }

    @Override
    public double readDouble() throws JMSException {
        return body.read(DataInputStream::readDouble);
    }

    @Override
    public String readUTF() throws JMSException {
        // not DataInputStream::readUTF, which the static readUTF(DataInput) makes ambiguous
        return body.read(in -> in.readUTF());
    }

    @Override
    public int readBytes(byte[] value) throws JMSException {
        return readBytes(value, value.length);
    }

    @Override
    public int readBytes(byte[] value, int length) throws JMSException {
        return body.readBytes(value, length);
    }

    // ---- writing ----

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        checkBodyWritable();
        body.write(out -> out.writeBoolean(value));
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        checkBodyWritable();
        body.write(out -> out.writeByte(value));
    }

    @Override
    public void writeShort(short value) throws JMSException {
        checkBodyWritable();
        body.write(out -> out.writeShort(value));
    }

    @Override
    public void writeChar(char value) throws JMSException {
        checkBodyWritable();
        body.write(out -> out.writeChar(value));
    }

    @Override
    public void writeInt(int value) throws JMSException {
        checkBodyWritable();
        body.write(out -> out.writeInt(value));
    }

    @Override
    public void writeLong(long value) throws JMSException {
        checkBodyWritable();
        body.write(out -> out.writeLong(value));
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        checkBodyWritable();
        body.write(out -> out.writeFloat(value));
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        checkBodyWritable();
        body.write(out -> out.writeDouble(value));
    }

    @Override
    public void writeUTF(String value) throws JMSException {
        checkBodyWritable();
        body.write(out -> out.writeUTF(value));
    }

    @Override
    public void writeBytes(byte[] value) throws JMSException {
        writeBytes(value, 0, value.length);
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        checkBodyWritable();
        body.writeBytes(value, offset, length);
    }

    @Override
    public void writeObject(Object value) throws JMSException {
        if (value == null) {
            throw new NullPointerException("BytesMessage.writeObject does not accept null");
        }
        if (value instanceof Boolean v) {
            writeBoolean(v);
        } else if (value instanceof Byte v) {
            writeByte(v);
        } else if (value instanceof Short v) {
            writeShort(v);
        } else if (value instanceof Character v) {
            writeChar(v);
        } else if (value instanceof Integer v) {
            writeInt(v);
        } else if (value instanceof Long v) {
            writeLong(v);
        } else if (value instanceof Float v) {
            writeFloat(v);
        } else if (value instanceof Double v) {
            writeDouble(v);
        } else if (value instanceof String v) {
            writeUTF(v);
        } else if (value instanceof byte[] v) {
            writeBytes(v);
        } else {
            throw new MessageFormatException("BytesMessage.writeObject cannot write a " + value.getClass().getName()
                    + ": only boxed primitives, String and byte[] are allowed");
        }
    }
}
