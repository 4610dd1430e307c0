package io.tunnelmq.jms.message;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;

/**
 * A message whose body is a stream of bytes. A new or cleared message is write-only; {@link #reset()} (or
 * receipt) makes it read-only and positions it at the start. {@link #getBody(Class)} returns the whole body in
 * either mode; an empty body counts as no body.
 */
public class JmsBytesMessage extends JmsMessage implements BytesMessage {
    private BodyBuffer written = new BodyBuffer();
    /** Writes the typed values into {@link #written}; made on the first one (a plain writeBytes needs none). */
    private DataOutputStream out;
    /** The body in read-only mode; null in write-only mode. */
    private byte[] content;
    /** Reads {@link #content}; made on the first read, since many received messages are never read this way. */
    private DataInputStream in;

    public JmsBytesMessage() {
    }

    /** A received message's body: read-only, positioned at the start. */
    void setContent(byte[] bytes) {
        content = bytes == null ? new byte[0] : bytes;
        in = null;
        written = null;
        out = null;
        setBodyReadOnly(true);
    }

    /** The body as it stands, in either mode: a copy the caller may change. */
    byte[] bodyBytes() {
        return content != null ? content.clone() : written.copy();
    }

    /**
     * The body as it stands, in either mode, for a send: not copied, so the caller must not change it; later
     * writes to this message do not change it either (see {@link BodyBuffer}).
     */
    byte[] sharedBodyBytes() {
        return content != null ? content : written.share();
    }

    @Override
    public long getBodyLength() throws JMSException {
        checkReadable();
        return content.length;
    }

    @Override
    public void reset() {
        if (content == null) {
            content = written.share();
            written = null;
            out = null;
        }
        in = null; // the next read starts at the beginning
        setBodyReadOnly(true);
    }

    @Override
    void clearBodyContent() {
        content = null;
        in = null;
        written = new BodyBuffer();
        out = null;
    }

    @Override
    boolean hasBody() {
        return content != null ? content.length > 0 : written.size() > 0;
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
        checkReadable();
        try {
            return reader().readBoolean();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    @Override
    public byte readByte() throws JMSException {
        checkReadable();
        try {
            return reader().readByte();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    @Override
    public int readUnsignedByte() throws JMSException {
        checkReadable();
        try {
            return reader().readUnsignedByte();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    @Override
    public short readShort() throws JMSException {
        checkReadable();
        try {
            return reader().readShort();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    @Override
    public int readUnsignedShort() throws JMSException {
        checkReadable();
        try {
            return reader().readUnsignedShort();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    @Override
    public char readChar() throws JMSException {
        checkReadable();
        try {
            return reader().readChar();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    @Override
    public int readInt() throws JMSException {
        checkReadable();
        try {
            return reader().readInt();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    @Override
    public long readLong() throws JMSException {
        checkReadable();
        try {
            return reader().readLong();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    @Override
    public float readFloat() throws JMSException {
        checkReadable();
        try {
            return reader().readFloat();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    @Override
    public double readDouble() throws JMSException {
        checkReadable();
        try {
            return reader().readDouble();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    @Override
    public String readUTF() throws JMSException {
        checkReadable();
        try {
            return reader().readUTF();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    @Override
    public int readBytes(byte[] value) throws JMSException {
        return readBytes(value, value.length);
    }

    @Override
    public int readBytes(byte[] value, int length) throws JMSException {
        checkReadable();
        if (length < 0 || length > value.length) {
            throw new IndexOutOfBoundsException("length " + length + " is not within the " + value.length
                    + "-byte array");
        }
        try {
            if (length == 0) {
                return reader().available() > 0 ? 0 : -1;
            }
            return reader().read(value, 0, length);
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    // ---- writing ----

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        checkBodyWritable();
        try {
            typed().writeBoolean(value);
        } catch (IOException e) {
            throw writeFailure(e);
        }
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        checkBodyWritable();
        try {
            typed().writeByte(value);
        } catch (IOException e) {
            throw writeFailure(e);
        }
    }

    @Override
    public void writeShort(short value) throws JMSException {
        checkBodyWritable();
        try {
            typed().writeShort(value);
        } catch (IOException e) {
            throw writeFailure(e);
        }
    }

    @Override
    public void writeChar(char value) throws JMSException {
        checkBodyWritable();
        try {
            typed().writeChar(value);
        } catch (IOException e) {
            throw writeFailure(e);
        }
    }

    @Override
    public void writeInt(int value) throws JMSException {
        checkBodyWritable();
        try {
            typed().writeInt(value);
        } catch (IOException e) {
            throw writeFailure(e);
        }
    }

    @Override
    public void writeLong(long value) throws JMSException {
        checkBodyWritable();
        try {
            typed().writeLong(value);
        } catch (IOException e) {
            throw writeFailure(e);
        }
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        checkBodyWritable();
        try {
            typed().writeFloat(value);
        } catch (IOException e) {
            throw writeFailure(e);
        }
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        checkBodyWritable();
        try {
            typed().writeDouble(value);
        } catch (IOException e) {
            throw writeFailure(e);
        }
    }

    @Override
    public void writeUTF(String value) throws JMSException {
        checkBodyWritable();
        try {
            typed().writeUTF(value);
        } catch (IOException e) {
            throw writeFailure(e);
        }
    }

    @Override
    public void writeBytes(byte[] value) throws JMSException {
        writeBytes(value, 0, value.length);
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        checkBodyWritable();
        written.write(value, offset, length);
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

    private DataOutputStream typed() {
        if (out == null) {
            out = new DataOutputStream(written);
        }
        return out;
    }

    private DataInputStream reader() {
        if (in == null) {
            in = new DataInputStream(new ByteArrayInputStream(content));
        }
        return in;
    }

    private void checkReadable() throws MessageNotReadableException {
        if (content == null) {
            throw new MessageNotReadableException("this BytesMessage is write-only; call reset() before reading it");
        }
    }

    private static JMSException readFailure(IOException e) {
        JMSException j;
        if (e instanceof EOFException) {
            j = new MessageEOFException("unexpected end of the BytesMessage body");
        } else if (e instanceof UTFDataFormatException) {
            j = new MessageFormatException("the bytes at the read position are not a valid UTF string: "
                    + e.getMessage());
        } else {
            j = new JMSException("cannot read the BytesMessage body: " + e.getMessage());
        }
        j.setLinkedException(e);
        j.initCause(e);
        return j;
    }

    private static JMSException writeFailure(IOException e) {
        JMSException j = e instanceof UTFDataFormatException
                ? new MessageFormatException("the string is too long for writeUTF (more than 65535 encoded bytes)")
                : new JMSException("cannot write the BytesMessage body: " + e.getMessage());
        j.setLinkedException(e);
        j.initCause(e);
        return j;
    }
}
