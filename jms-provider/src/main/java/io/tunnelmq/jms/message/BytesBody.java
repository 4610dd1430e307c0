package io.tunnelmq.jms.message;

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
 * The body of a {@link JmsBytesMessage} and the stream over it. While the message is written: a growing
 * {@link BodyBuffer} and the data stream that appends typed values to it. Once it is reset or received: the bytes,
 * and the data stream that reads them from the read position. Reading is possible only then (else
 * {@link MessageNotReadableException}), and the streams' I/O errors become the exceptions JMS names: reading past the
 * end {@link MessageEOFException}, a bad or too long UTF string {@link MessageFormatException}.
 *
 * <p>Separate from the message, which keeps the {@code BytesMessage} API, the read-only flag that refuses writes
 * (it belongs to every message type) and what {@code writeObject} accepts: this class knows only where the bytes are
 * and where the cursor stands, so eleven reads and nine writes share one way to read and one way to write.
 */
final class BytesBody {

    /** Reads one value at the read position. */
    @FunctionalInterface
    interface Read<T> {
        T from(DataInputStream in) throws IOException;
    }

    /** Appends one typed value to the body. */
    @FunctionalInterface
    interface Write {
        void to(DataOutputStream out) throws IOException;
    }

    private BodyBuffer written = new BodyBuffer();
    /** Writes the typed values into {@link #written}; made on the first one (a plain writeBytes needs none). */
    private DataOutputStream out;
    /** The body in read-only mode; null in write-only mode. */
    private byte[] content;
    /** Reads {@link #content}; made on the first read, since many received messages are never read this way. */
    private DataInputStream in;

    /** A received message's body: readable, positioned at the start. */
    void received(byte[] bytes) {
        content = bytes == null ? new byte[0] : bytes;
        in = null;
        written = null;
        out = null;
    }

    /** The body as it stands, in either mode: a copy the caller may change. */
    byte[] copy() {
        return content != null ? content.clone() : written.copy();
    }

    /**
     * The body as it stands, in either mode, for a send: not copied, so the caller must not change it; later
     * writes do not change it either (see {@link BodyBuffer}).
     */
    byte[] share() {
        return content != null ? content : written.share();
    }

    boolean isEmpty() {
        return content != null ? content.length == 0 : written.size() == 0;
    }

    /** Ends writing if the body was being written; either way the next read starts at the beginning. */
    void reset() {
        if (content == null) {
            content = written.share();
            written = null;
            out = null;
        }
        in = null;
    }

    /** An empty body, to be written. */
    void clear() {
        content = null;
        in = null;
        written = new BodyBuffer();
        out = null;
    }

    long length() throws MessageNotReadableException {
        checkReadable();
        return content.length;
    }

    /** One value at the read position. */
    <T> T read(Read<T> read) throws JMSException {
        checkReadable();
        try {
            return read.from(reader());
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    /** As {@code BytesMessage.readBytes(byte[], int)}: the number of bytes read, or -1 at the end of the body. */
    int readBytes(byte[] value, int length) throws JMSException {
        checkReadable();
        if (length < 0 || length > value.length) {
            throw new IndexOutOfBoundsException("length " + length + " is not within the " + value.length
                    + "-byte array");
        }
        return read(stream -> {
            if (length == 0) {
                return stream.available() > 0 ? 0 : -1;
            }
            return stream.read(value, 0, length);
        });
    }

    /** Appends one typed value; the caller checked the body may be written. */
    void write(Write write) throws JMSException {
        try {
            write.to(typed());
        } catch (IOException e) {
            throw writeFailure(e);
        }
    }

    /** Appends bytes as they are; the caller checked the body may be written. */
    void writeBytes(byte[] value, int offset, int length) {
        written.write(value, offset, length);
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
        return ExceptionLinks.link(j, e);
    }

    private static JMSException writeFailure(IOException e) {
        JMSException j = e instanceof UTFDataFormatException
                ? new MessageFormatException("the string is too long for writeUTF (more than 65535 encoded bytes)")
                : new JMSException("cannot write the BytesMessage body: " + e.getMessage());
        return ExceptionLinks.link(j, e);
    }
}
