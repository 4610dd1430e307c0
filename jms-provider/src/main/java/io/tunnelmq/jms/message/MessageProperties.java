package io.tunnelmq.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Message properties with the JMS rules: names must be valid Java identifiers (selector reserved words such as
 * {@code TRUE} are accepted, as other providers and the Joram suite expect; a selector simply cannot name them),
 * values must be one of the property types, {@code JMSXGroupID} must be a String and {@code JMSXGroupSeq} an
 * int, and reads follow the JMS conversion table. Used by messages and by {@code JMSProducer}. Not thread-safe.
 *
 * <p>A received message keeps the unmodifiable map its wire form was read into ({@link #adopt}): no copy into a table
 * of its own, no hash of each name, and a message forwarded as it came sends that map again. The first change copies
 * it. So does the second property set: the first is kept in a single-entry map of its own.
 */
public final class MessageProperties {
    /** Unmodifiable unless {@link #owned}; never null. */
    private Map<String, Object> values = Map.of();
    private boolean owned;

    public MessageProperties() {
    }

    /** Sets a property after checking its name and type; {@code value} may be null. */
    public void set(String name, Object value) throws JMSException {
        checkName(name);
        if (!TypeConversions.isPropertyType(value)) {
            throw new MessageFormatException("property '" + name + "' cannot hold a " + TypeConversions.typeName(value)
                    + ": property values must be Boolean, Byte, Short, Integer, Long, Float, Double or String");
        }
        if ("JMSXGroupID".equals(name) && value != null && !(value instanceof String)) {
            throw new MessageFormatException("JMSXGroupID must be a String, was " + TypeConversions.typeName(value));
        }
        if ("JMSXGroupSeq".equals(name) && value != null && !(value instanceof Integer)) {
            throw new MessageFormatException("JMSXGroupSeq must be an int, was " + TypeConversions.typeName(value));
        }
        if (values.isEmpty()) {
            // the first, and often the only one: a single-entry map, which a send takes as it is (see snapshot)
            values = Collections.singletonMap(name, value);
            owned = false;
            return;
        }
        writable().put(name, value);
    }

    /**
     * Takes the properties read from the wire, unchecked (the sender made the checks), in place of none.
     *
     * @param unmodifiable kept as it is, so nothing may change it
     */
    void adopt(Map<String, Object> unmodifiable) {
        if (!values.isEmpty()) {
            throw new IllegalStateException("properties adopted over " + values.size() + " set before");
        }
        values = unmodifiable;
        owned = false;
    }

    private Map<String, Object> writable() {
        if (!owned) {
            values = values.isEmpty() ? new LinkedHashMap<>() : new LinkedHashMap<>(values);
            owned = true;
        }
        return values;
    }

    public Object get(String name) {
        return values.get(name);
    }

    public boolean contains(String name) {
        return values.containsKey(name);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(values.keySet());
    }

    public void clear() {
        values = Map.of();
        owned = false;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** An unmodifiable snapshot, in insertion order. */
    public Map<String, Object> snapshot() {
        if (!owned || values.isEmpty()) {
            return values; // adopted from the wire, or none: unmodifiable already
        }
        if (values.size() == 1) {
            // one property is the common case: one small object instead of a hash table, its entry and a wrapper
            Map.Entry<String, Object> only = values.entrySet().iterator().next();
            return Collections.singletonMap(only.getKey(), only.getValue());
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public boolean getBoolean(String name) throws JMSException {
        return TypeConversions.toBoolean(values.get(name));
    }

    public byte getByte(String name) throws JMSException {
        return TypeConversions.toByte(values.get(name));
    }

    public short getShort(String name) throws JMSException {
        return TypeConversions.toShort(values.get(name));
    }

    public int getInt(String name) throws JMSException {
        return TypeConversions.toInt(values.get(name));
    }

    public long getLong(String name) throws JMSException {
        return TypeConversions.toLong(values.get(name));
    }

    public float getFloat(String name) throws JMSException {
        return TypeConversions.toFloat(values.get(name));
    }

    public double getDouble(String name) throws JMSException {
        return TypeConversions.toDouble(values.get(name));
    }

    public String getString(String name) throws JMSException {
        return TypeConversions.toText(values.get(name));
    }

    /**
     * Checks a property name against the JMS rules.
     *
     * @throws IllegalArgumentException if it is null, empty or not a Java identifier
     */
    public static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a property name must not be null or empty");
        }
        if (!Character.isJavaIdentifierStart(name.charAt(0))) {
            throw new IllegalArgumentException("property name '" + name
                    + "' is not a valid identifier: it must start with a letter, '_' or '$'");
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isJavaIdentifierPart(name.charAt(i))) {
                throw new IllegalArgumentException("property name '" + name + "' is not a valid identifier: '"
                        + name.charAt(i) + "' at position " + i + " is not allowed");
            }
        }
    }
}
