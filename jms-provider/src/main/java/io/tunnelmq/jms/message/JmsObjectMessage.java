package io.tunnelmq.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.util.Objects;

/**
 * A message whose body is a serialized Java object. The object is serialized when it is set, so later changes
 * to it do not affect the message. Deserialization is restricted to an allow-list of packages (default
 * {@code java.,javax.,jakarta.}; add yours with the connection URL option {@code serializablePackages} or the
 * system property {@code io.tunnelmq.serializable.packages}, comma-separated, or {@code *} for all), which protects
 * receivers from deserialization attacks; see {@link SerializablePackages}. Messages a TunnelMQ connection creates
 * or receives use their factory's list; others use the system property's.
 */
public class JmsObjectMessage extends JmsMessage implements ObjectMessage {
    /**
     * How deep a body's object graph may nest. Deserialization recurses per level, so a hostile body of a few hundred
     * KiB could nest deep enough to overflow the receiving thread's stack (a {@link StackOverflowError}, not an
     * exception the application expects); real message payloads nest a few dozen levels.
     */
    static final int MAX_DEPTH = 1_000;

    private byte[] serialized;
    private final SerializablePackages allowed;

    /** A message whose body is deserialized with the system property's allow-list. */
    public JmsObjectMessage() {
        this(SerializablePackages.fromSystemProperty());
    }

    /** A message whose body is deserialized with the given allow-list (its connection factory's). */
    public JmsObjectMessage(SerializablePackages allowed) {
        this.allowed = Objects.requireNonNull(allowed, "allowed");
    }

    /** The serialized body, or null. */
    byte[] serialized() {
        return serialized;
    }

    void setSerialized(byte[] bytes) {
        this.serialized = bytes;
    }

    @Override
    public void setObject(Serializable object) throws JMSException {
        checkBodyWritable();
        if (object == null) {
            serialized = null;
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException e) {
            throw ExceptionLinks.link(new MessageFormatException("cannot serialize the "
                    + object.getClass().getName() + " for an ObjectMessage: " + e), e);
        }
        serialized = bytes.toByteArray();
    }

    @Override
    public Serializable getObject() throws JMSException {
        if (serialized == null) {
            return null;
        }
        SerializablePackages.Filter filter = allowed.filter();
        try (ObjectInputStream in = new ContextClassLoaderInputStream(new ByteArrayInputStream(serialized))) {
            // an array (or a collection's backing array) cannot hold more elements than the body has bytes: a
            // larger announced length is a corrupt or hostile body, refused before it is allocated
            boolean[] tooDeep = new boolean[1];
            in.setObjectInputFilter(info -> {
                if (info.depth() > MAX_DEPTH) {
                    tooDeep[0] = true;
                    return ObjectInputFilter.Status.REJECTED;
                }
                return info.arrayLength() > serialized.length ? ObjectInputFilter.Status.REJECTED
                        : filter.checkInput(info);
            });
            try {
                return (Serializable) in.readObject();
            } catch (InvalidClassException e) {
                if (tooDeep[0]) {
                    throw failure("the ObjectMessage body nests objects deeper than " + MAX_DEPTH + " levels: it is"
                            + " refused as corrupt or hostile", e);
                }
                throw e;
            }
        } catch (InvalidClassException e) {
            if (filter.refused() == null) {
                throw failure("cannot deserialize the ObjectMessage body: " + e, e);
            }
            throw failure("the ObjectMessage body holds class " + filter.refused() + ", which is not in the"
                    + " deserialization allow-list " + filter.prefixes() + "; to trust it, "
                    + allowed.howToAllow(filter.refused()), e);
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw failure("cannot deserialize the ObjectMessage body: " + e, e);
        } catch (RuntimeException e) {
            // ObjectInputStream meets some corrupt streams with a NullPointerException and the like, not an
            // IOException (found by DeliveredMessageFuzzTest); to the application it is the same unreadable body
            throw failure("the ObjectMessage body is corrupt: " + e, e);
        }
    }

    private static MessageFormatException failure(String message, Exception cause) {
        return ExceptionLinks.link(new MessageFormatException(message), cause);
    }

    @Override
    void clearBodyContent() {
        serialized = null;
    }

    @Override
    boolean hasBody() {
        return serialized != null;
    }

    @Override
    Object bodyAsObject() throws JMSException {
        return getObject();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) {
        if (serialized == null) {
            return true;
        }
        try {
            return c != null && c.isInstance(getObject());
        } catch (JMSException e) {
            return false;
        }
    }

    @Override
    String kind() {
        return "ObjectMessage";
    }

    /** Resolves classes with the thread's context class loader first, so application servers find app classes. */
    private static final class ContextClassLoaderInputStream extends ObjectInputStream {
        ContextClassLoaderInputStream(ByteArrayInputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // fall back to the default resolution (primitives, the caller's loader)
                }
            }
            return super.resolveClass(desc);
        }
    }
}
