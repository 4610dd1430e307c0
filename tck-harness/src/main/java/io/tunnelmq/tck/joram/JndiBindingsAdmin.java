package io.tunnelmq.tck.joram;

import io.tunnelmq.jndi.TunnelInitialContextFactory;
import org.objectweb.jtests.jms.admin.Admin;

import javax.naming.Context;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the Joram admins share: queues and topics are JNDI bindings of our {@link TunnelInitialContextFactory}
 * ({@code queue.<name>}, {@code topic.<name>}), the queue and topic connection factories are plain ones, and there is
 * nothing to do at {@link #start()} and {@link #stop()} (the brokers come and go with startServer and stopServer).
 * A subclass says where the brokers are and how its connection factories are bound.
 */
abstract class JndiBindingsAdmin implements Admin {
    /** JNDI keys and values the next context is made with. Guarded by this. */
    protected final Map<String, String> bindings = new LinkedHashMap<>();

    /** The environment of a context over our JNDI factory with the bindings made so far. */
    protected synchronized Hashtable<String, String> environment(String providerUrl) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, TunnelInitialContextFactory.class.getName());
        env.put(Context.PROVIDER_URL, providerUrl);
        env.putAll(bindings);
        return env;
    }

    @Override
    public void createQueueConnectionFactory(String name) {
        createConnectionFactory(name);
    }

    @Override
    public void createTopicConnectionFactory(String name) {
        createConnectionFactory(name);
    }

    @Override
    public synchronized void createQueue(String name) {
        bindings.put("queue." + name, name);
    }

    @Override
    public synchronized void createTopic(String name) {
        bindings.put("topic." + name, name);
    }

    @Override
    public synchronized void deleteQueue(String name) {
        bindings.remove("queue." + name);
    }

    @Override
    public synchronized void deleteTopic(String name) {
        bindings.remove("topic." + name);
    }

    @Override
    public void deleteQueueConnectionFactory(String name) {
        deleteConnectionFactory(name);
    }

    @Override
    public void deleteTopicConnectionFactory(String name) {
        deleteConnectionFactory(name);
    }

    @Override
    public void start() {
        // the brokers are ready once startServer() returns
    }

    @Override
    public void stop() {
        // stopServer() does the work; Joram calls it right after this
    }
}
