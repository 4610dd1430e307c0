package io.tunnelmq.jms.message;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * The deserialization allow-list of {@link JmsObjectMessage}: only classes whose names start with a listed prefix
 * may be deserialized, so a message cannot make the receiver instantiate arbitrary gadget classes. The list is
 * always {@code java.,javax.,jakarta.} plus comma-separated prefixes (for example {@code com.example.orders.})
 * taken from, in this order of precedence:
 * <ol>
 *   <li>the connection URL option {@value #OPTION} of the factory whose connection created or received the
 *       message (an empty value adds nothing and still overrides the system property);</li>
 *   <li>the system property {@value #PROPERTY}, read on every deserialization so it can be set after start-up.</li>
 * </ol>
 * {@code *} allows every class: only for senders you trust completely, since deserializing an attacker's bytes
 * can run code.
 */
public final class SerializablePackages {
    /** The system property that widens the list where no factory option does. */
    public static final String PROPERTY = "io.tunnelmq.serializable.packages";
    /** The connection URL option that widens the list for one connection factory. */
    public static final String OPTION = "serializablePackages";
    private static final List<String> DEFAULTS = List.of("java.", "javax.", "jakarta.");
    private static final SerializablePackages SYSTEM_PROPERTY = new SerializablePackages(null);

    /** The factory option's value, or null to read the system property at each use. */
    private final String option;

    private SerializablePackages(String option) {
        this.option = option;
    }

    /** The list the system property describes (at the time of each deserialization). */
    public static SerializablePackages fromSystemProperty() {
        return SYSTEM_PROPERTY;
    }

    /**
     * The list a connection factory's {@value #OPTION} option describes.
     *
     * @param option the option's value, or null if the factory does not set it (then the system property applies)
     */
    public static SerializablePackages fromOption(String option) {
        return option == null ? SYSTEM_PROPERTY : new SerializablePackages(option);
    }

    /** A fresh filter for one deserialization, with the current list. */
    Filter filter() {
        String extra = option != null ? option : System.getProperty(PROPERTY);
        List<String> prefixes = new ArrayList<>(DEFAULTS);
        boolean all = false;
        if (extra != null) {
            for (String p : extra.split(",")) {
                String prefix = p.trim();
                if (prefix.equals("*")) {
                    all = true;
                } else if (!prefix.isEmpty()) {
                    prefixes.add(prefix);
                }
            }
        }
        return new Filter(List.copyOf(prefixes), all);
    }

    /** Tells the reader of an error where this list comes from and how to widen it. */
    String howToAllow(String className) {
        String prefix = packagePrefix(className);
        if (option != null) {
            return "add '" + prefix + "' to the connection URL option " + OPTION + " of the connection factory"
                    + " (comma-separated prefixes; it overrides the system property " + PROPERTY + ")";
        }
        return "set the connection URL option " + OPTION + "=" + prefix + " on the connection factory (for"
                + " example tmq://host:9494?" + OPTION + "=" + prefix + ") or the system property " + PROPERTY
                + " (comma-separated prefixes)";
    }

    private static String packagePrefix(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(0, dot + 1);
    }

    @Override
    public String toString() {
        return option != null ? OPTION + "=" + option : "system property " + PROPERTY;
    }

    /** One deserialization's filter; remembers the first class it refused, for the error message. */
    static final class Filter implements ObjectInputFilter {
        private final List<String> prefixes;
        private final boolean allowAll;
        private String refused;

        Filter(List<String> prefixes, boolean allowAll) {
            this.prefixes = prefixes;
            this.allowAll = allowAll;
        }

        List<String> prefixes() {
            return prefixes;
        }

        /** The name of the first class this filter refused, or null. */
        String refused() {
            return refused;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            Class<?> c = info.serialClass();
            if (c == null || allowAll) {
                return Status.UNDECIDED;
            }
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (c.isPrimitive() || allowed(c.getName())) {
                return Status.ALLOWED;
            }
            if (refused == null) {
                refused = c.getName();
            }
            return Status.REJECTED;
        }

        boolean allowed(String className) {
            if (allowAll) {
                return true;
            }
            for (String p : prefixes) {
                if (className.startsWith(p)) {
                    return true;
                }
            }
            return false;
        }
    }
}
