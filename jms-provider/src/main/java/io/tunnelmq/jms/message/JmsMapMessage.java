package io.tunnelmq.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageFormatException;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message whose body is a set of name-value pairs; values are boxed primitives, String or byte[] and are read
 * following the JMS conversion table. An empty map counts as no body.
 */
public class JmsMapMessage extends JmsMessage implements MapMessage {
    private final Map<String, Object> map = new LinkedHashMap<>();

    public JmsMapMessage() {
    }

    /** The entries as they stand (byte arrays are not copied: callers must not change them). */
    Map<String, Object> entries() {
        return map;
    }

    void putReceived(Map<String, Object> entries) {
        map.putAll(entries);
    }

    @Override
    public boolean getBoolean(String name) throws JMSException {
        return TypeConversions.toBoolean(map.get(name));
    }

    @Override
    public byte getByte(String name) throws JMSException {
        return TypeConversions.toByte(map.get(name));
    }

    @Override
    public short getShort(String name) throws JMSException {
        return TypeConversions.toShort(map.get(name));
    }

    @Override
    public char getChar(String name) throws JMSException {
        return TypeConversions.toChar(map.get(name));
    }

    @Override
    public int getInt(String name) throws JMSException {
        return TypeConversions.toInt(map.get(name));
    }

    @Override
    public long getLong(String name) throws JMSException {
        return TypeConversions.toLong(map.get(name));
    }

    @Override
    public float getFloat(String name) throws JMSException {
        return TypeConversions.toFloat(map.get(name));
    }

    @Override
    public double getDouble(String name) throws JMSException {
        return TypeConversions.toDouble(map.get(name));
    }

    @Override
    public String getString(String name) throws JMSException {
        return TypeConversions.toText(map.get(name));
    }

    @Override
    public byte[] getBytes(String name) throws JMSException {
        return TypeConversions.toBytes(map.get(name));
    }

    @Override
    public Object getObject(String name) {
        Object v = map.get(name);
        return v instanceof byte[] b ? b.clone() : v;
    }

    @Override
    public Enumeration<String> getMapNames() {
        return Collections.enumeration(map.keySet());
    }

    @Override
    public boolean itemExists(String name) {
        return map.containsKey(name);
    }

    @Override
    public void setBoolean(String name, boolean value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setByte(String name, byte value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setShort(String name, short value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setChar(String name, char value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setInt(String name, int value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setLong(String name, long value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setFloat(String name, float value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setDouble(String name, double value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setString(String name, String value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setBytes(String name, byte[] value) throws JMSException {
        put(name, value == null ? null : value.clone());
    }

    @Override
    public void setBytes(String name, byte[] value, int offset, int length) throws JMSException {
        byte[] copy = new byte[length];
        System.arraycopy(value, offset, copy, 0, length);
        put(name, copy);
    }

    @Override
    public void setObject(String name, Object value) throws JMSException {
        if (!TypeConversions.isBodyValueType(value)) {
            checkName(name);
            throw new MessageFormatException("MapMessage entry '" + name + "' cannot hold a "
                    + value.getClass().getName() + ": only boxed primitives, String and byte[] are allowed");
        }
        put(name, value instanceof byte[] b ? b.clone() : value);
    }

    private void put(String name, Object value) throws JMSException {
        checkName(name);
        checkBodyWritable();
        map.put(name, value);
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a MapMessage entry name must not be null or empty");
        }
    }

    @Override
    void clearBodyContent() {
        map.clear();
    }

    @Override
    boolean hasBody() {
        return !map.isEmpty();
    }

    @Override
    Object bodyAsObject() {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, v instanceof byte[] b ? b.clone() : v));
        return copy;
    }

    @Override
    String kind() {
        return "MapMessage";
    }
}
