package io.tunnelmq.jms.message;

import jakarta.jms.MessageFormatException;

/**
 * The JMS conversion table (JMS 2.0 §3.5.4 for properties, §3.11.3 for map and stream bodies): a value written
 * as one type may be read as another. A conversion the table does not allow raises
 * {@link MessageFormatException}; a String that does not parse raises {@link NumberFormatException}; a null
 * value reads as if {@code valueOf(null)} were called (false for boolean, {@link NumberFormatException} for
 * integral types, {@link NullPointerException} for float, double and char).
 */
final class TypeConversions {
    private TypeConversions() {
    }

    static boolean toBoolean(Object v) throws MessageFormatException {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Boolean.parseBoolean((String) v);
        }
        throw cannot(v, "boolean");
    }

    static byte toByte(Object v) throws MessageFormatException {
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Byte.parseByte((String) v);
        }
        throw cannot(v, "byte");
    }

    static short toShort(Object v) throws MessageFormatException {
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).shortValue();
        }
        if (v == null || v instanceof String) {
            return Short.parseShort((String) v);
        }
        throw cannot(v, "short");
    }

    static int toInt(Object v) throws MessageFormatException {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v == null || v instanceof String) {
            return Integer.parseInt((String) v);
        }
        throw cannot(v, "int");
    }

    static long toLong(Object v) throws MessageFormatException {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v == null || v instanceof String) {
            return Long.parseLong((String) v);
        }
        throw cannot(v, "long");
    }

    static float toFloat(Object v) throws MessageFormatException {
        if (v instanceof Float f) {
            return f;
        }
        if (v == null || v instanceof String) {
            return Float.parseFloat((String) v); // null: NullPointerException, as Float.valueOf(null)
        }
        throw cannot(v, "float");
    }

    static double toDouble(Object v) throws MessageFormatException {
        if (v instanceof Double || v instanceof Float) {
            return ((Number) v).doubleValue();
        }
        if (v == null || v instanceof String) {
            return Double.parseDouble((String) v); // null: NullPointerException, as Double.valueOf(null)
        }
        throw cannot(v, "double");
    }

    static char toChar(Object v) throws MessageFormatException {
        if (v instanceof Character c) {
            return c;
        }
        if (v == null) {
            throw new NullPointerException("the value is null and cannot be read as a char");
        }
        throw cannot(v, "char");
    }

    static String toText(Object v) throws MessageFormatException {
        if (v instanceof byte[]) {
            throw cannot(v, "String");
        }
        return v == null ? null : v.toString();
    }

    static byte[] toBytes(Object v) throws MessageFormatException {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return b.clone();
        }
        throw cannot(v, "byte[]");
    }

    /** True for the value types a property may hold (no char, no byte[]). */
    static boolean isPropertyType(Object v) {
        return v == null || v instanceof String || v instanceof Integer || v instanceof Long
                || v instanceof Boolean || v instanceof Double || v instanceof Float || v instanceof Short
                || v instanceof Byte;
    }

    /** True for the value types a map or stream body may hold: the property types plus char and byte[]. */
    static boolean isBodyValueType(Object v) {
        return isPropertyType(v) || v instanceof Character || v instanceof byte[];
    }

    private static MessageFormatException cannot(Object v, String target) {
        return new MessageFormatException("a " + typeName(v) + " value cannot be read as " + target
                + " (JMS conversion table)");
    }

    static String typeName(Object v) {
        if (v instanceof byte[]) {
            return "byte[]";
        }
        return v.getClass().getSimpleName();
    }
}
