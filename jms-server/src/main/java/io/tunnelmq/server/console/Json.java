package io.tunnelmq.server.console;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes the console's JSON answers: objects, arrays, strings, numbers and booleans, with every string escaped so
 * that a queue name or a message body cannot break out of it. A writer, no parser: the console's requests carry form
 * fields, not JSON. Not thread-safe; one per answer.
 */
final class Json {
    private final StringBuilder out = new StringBuilder(256);
    /** Whether the next value needs a comma before it. */
    private boolean comma;

    Json beginObject() {
        value();
        out.append('{');
        comma = false;
        return this;
    }

    Json endObject() {
        out.append('}');
        comma = true;
        return this;
    }

    Json beginArray() {
        value();
        out.append('[');
        comma = false;
        return this;
    }

    Json endArray() {
        out.append(']');
        comma = true;
        return this;
    }

    /** The name of the next member of an object. */
    Json name(String name) {
        value();
        string(name);
        out.append(':');
        comma = false;
        return this;
    }

    Json value(String text) {
        value();
        if (text == null) {
            out.append("null");
        } else {
            string(text);
        }
        comma = true;
        return this;
    }

    Json value(long number) {
        value();
        out.append(number);
        comma = true;
        return this;
    }

    Json value(boolean flag) {
        value();
        out.append(flag);
        comma = true;
        return this;
    }

    Json field(String name, String text) {
        return name(name).value(text);
    }

    Json field(String name, long number) {
        return name(name).value(number);
    }

    Json field(String name, boolean flag) {
        return name(name).value(flag);
    }

    /** A member whose value is an object of strings (message properties, as text). */
    Json field(String name, Map<String, ?> strings) {
        name(name).beginObject();
        strings.forEach((k, v) -> field(k, v == null ? null : String.valueOf(v)));
        return endObject();
    }

    byte[] bytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void value() {
        if (comma) {
            out.append(',');
        }
    }

    private void string(String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // '<' escaped too: a JSON answer opened as a page cannot start a script
                case '<' -> out.append("\\u003c");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
