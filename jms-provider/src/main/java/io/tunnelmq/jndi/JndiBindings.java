package io.tunnelmq.jndi;

import io.tunnelmq.jms.ConnectionOptions;
import io.tunnelmq.jms.TunnelQueue;
import io.tunnelmq.jms.TunnelTopic;
import io.tunnelmq.jms.pool.PooledConnectionFactory;
import jakarta.jms.ConnectionFactory;

import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.NamingException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Turns JNDI environment entries into the objects they name. */
final class JndiBindings {
    static final String CONNECTION_FACTORY = "connectionFactory.";
    static final String CONNECTION_FACTORY_LOWER = "connectionfactory.";
    static final String QUEUE = "queue.";
    static final String TOPIC = "topic.";
    static final String DYNAMIC_QUEUES = "dynamicQueues/";
    static final String DYNAMIC_TOPICS = "dynamicTopics/";
    static final String[] DEFAULT_FACTORY_NAMES = {"ConnectionFactory", "QueueConnectionFactory", "TopicConnectionFactory"};

    private JndiBindings() {
    }

    /**
     * The bindings an environment describes. Environment keys win over system properties of the same name.
     *
     * @throws ConfigurationException naming the key whose value is not usable
     */
    static Map<String, Object> from(Map<Object, Object> env, Properties system) throws NamingException {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String key : system.stringPropertyNames()) {
            if (isBindingKey(key)) {
                entries.put(key, system.getProperty(key));
            }
        }
        for (Map.Entry<Object, Object> e : env.entrySet()) {
            if (e.getKey() instanceof String key && e.getValue() instanceof String value) {
                entries.put(key, value);
            }
        }
        String providerUrl = entries.getOrDefault(Context.PROVIDER_URL, "");
        if (providerUrl.isBlank()) {
            providerUrl = ConnectionOptions.DEFAULT_URL;
        }

        Map<String, Object> bindings = new LinkedHashMap<>();
        boolean factoryConfigured = false;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            String key = e.getKey();
            String value = e.getValue().trim();
            if (key.startsWith(CONNECTION_FACTORY) || key.startsWith(CONNECTION_FACTORY_LOWER)) {
                String url = value.isEmpty() || value.startsWith("?") ? withOptions(providerUrl, value) : value;
                bindings.put(name(key, CONNECTION_FACTORY.length()), factory(key, url));
                factoryConfigured = true;
            } else if (key.startsWith(QUEUE)) {
                bindings.put(name(key, QUEUE.length()), new TunnelQueue(physical(key, value)));
            } else if (key.startsWith(TOPIC)) {
                bindings.put(name(key, TOPIC.length()), new TunnelTopic(physical(key, value)));
            }
        }
        if (!factoryConfigured) {
            ConnectionFactory factory = factory(Context.PROVIDER_URL, providerUrl);
            for (String name : DEFAULT_FACTORY_NAMES) {
                bindings.put(name, factory);
            }
        }
        return bindings;
    }

    /**
     * The provider URL with the options of a value that holds only options ({@code ?serializablePackages=...}), so
     * jndi.properties can configure a factory's options while the broker address comes from elsewhere.
     */
    private static String withOptions(String providerUrl, String options) {
        if (options.length() <= 1) {
            return providerUrl;
        }
        return providerUrl + (providerUrl.contains("?") ? "&" : "?") + options.substring(1);
    }

    private static boolean isBindingKey(String key) {
        return key.startsWith(CONNECTION_FACTORY) || key.startsWith(CONNECTION_FACTORY_LOWER)
                || key.startsWith(QUEUE) || key.startsWith(TOPIC);
    }

    private static String name(String key, int prefixLength) throws ConfigurationException {
        String name = key.substring(prefixLength);
        if (name.isEmpty()) {
            throw new ConfigurationException("JNDI key '" + key + "' names nothing: put the JNDI name after the '"
                    + key + "' prefix, for example " + key + "orders");
        }
        return name;
    }

    private static String physical(String key, String value) throws ConfigurationException {
        if (value.isEmpty()) {
            throw new ConfigurationException("JNDI key '" + key + "' has no physical destination name as its value");
        }
        return value;
    }

    /** A TunnelConnectionFactory, or a PooledConnectionFactory over one if the URL says {@code pool=true}. */
    private static ConnectionFactory factory(String key, String url) throws ConfigurationException {
        try {
            return PooledConnectionFactory.forUrl(url);
        } catch (IllegalArgumentException e) {
            ConfigurationException ce = new ConfigurationException("JNDI key '" + key + "': " + e.getMessage());
            ce.setRootCause(e);
            throw ce;
        }
    }
}
