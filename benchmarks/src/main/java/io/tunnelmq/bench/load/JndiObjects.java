package io.tunnelmq.bench.load;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Properties;

/**
 * The JMS objects a run uses, looked up in JNDI and nowhere else, so the same run works against any provider.
 * The environment is the {@code --jndi} file (or {@code jndi.properties} on the class path) overlaid with the system
 * properties that name JNDI entries, so {@code -Dqueue.queue/bench=orders} changes one binding.
 */
final class JndiObjects implements AutoCloseable {
    /** Prefixes of JNDI keys taken from system properties (the ones Artemis, Qpid and TunnelMQ understand). */
    private static final List<String> PREFIXES = List.of("java.naming.", "connectionFactory.", "connectionfactory.",
            "queue.", "topic.");

    private final Context context;

    private JndiObjects(Context context) {
        this.context = context;
    }

    static JndiObjects open(Path jndiFile) {
        Hashtable<Object, Object> env = new Hashtable<>();
        if (jndiFile != null) {
            env.putAll(read(jndiFile));
        } else {
            try (InputStream in = Thread.currentThread().getContextClassLoader()
                    .getResourceAsStream("jndi.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    env.putAll(p);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read jndi.properties from the class path: " + e, e);
            }
        }
        for (String name : System.getProperties().stringPropertyNames()) {
            if (PREFIXES.stream().anyMatch(name::startsWith)) {
                env.put(name, System.getProperty(name));
            }
        }
        if (!env.containsKey(Context.INITIAL_CONTEXT_FACTORY)) {
            throw new IllegalArgumentException("no JNDI provider configured: give --jndi FILE with "
                    + Context.INITIAL_CONTEXT_FACTORY + "=..., a jndi.properties on the class path, or -D"
                    + Context.INITIAL_CONTEXT_FACTORY + "=...");
        }
        try {
            return new JndiObjects(new InitialContext(env));
        } catch (NamingException e) {
            throw new IllegalStateException("cannot create the JNDI context: " + e, e);
        }
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the JNDI file " + file.toAbsolutePath() + ": " + e, e);
        }
        return p;
    }

    ConnectionFactory factory(String name) {
        return lookup(name, ConnectionFactory.class);
    }

    Destination destination(String name) {
        return lookup(name, Destination.class);
    }

    private <T> T lookup(String name, Class<T> type) {
        Object o;
        try {
            o = context.lookup(name);
        } catch (NamingException e) {
            throw new IllegalArgumentException("JNDI has no '" + name + "' (" + e.getMessage() + "): bind it, e.g. "
                    + (type == ConnectionFactory.class ? "connectionFactory." : "queue.") + name + "=...", e);
        }
        if (!type.isInstance(o)) {
            throw new IllegalArgumentException("JNDI name '" + name + "' is a " + o.getClass().getName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(o);
    }

    @Override
    public void close() {
        try {
            context.close();
        } catch (NamingException e) {
            // nothing held that matters: the run is over
        }
    }
}
