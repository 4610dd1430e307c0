package io.tunnelmq.jms.message;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * The deserialization allow-list of {@link JmsObjectMessage}: only classes in the listed packages may be
 * deserialized, so a message cannot make the receiver instantiate arbitrary gadget classes. The default list
 * is {@code java.,javax.,jakarta.}; the system property {@value #PROPERTY} adds comma-separated package
 * prefixes (for example {@code com.example.orders.}), and {@code *} in it allows every class. The property is
 * read on every deserialization, so it can be set after start-up.
 */
final class SerializablePackages implements ObjectInputFilter {
    static final String PROPERTY = "io.tunnelmq.serializable.packages";
    private static final List<String> DEFAULTS = List.of("java.", "javax.", "jakarta.");

    private final List<String> prefixes;
    private final boolean allowAll;

    private SerializablePackages(List<String> prefixes, boolean allowAll) {
        this.prefixes = prefixes;
        this.allowAll = allowAll;
    }

    /** The filter for the current value of the system property. */
    static SerializablePackages current() {
        List<String> prefixes = new ArrayList<>(DEFAULTS);
        boolean all = false;
        String extra = System.getProperty(PROPERTY);
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
        return new SerializablePackages(List.copyOf(prefixes), all);
    }

    List<String> prefixes() {
        return prefixes;
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
