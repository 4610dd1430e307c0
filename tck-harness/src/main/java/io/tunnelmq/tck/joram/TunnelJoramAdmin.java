package io.tunnelmq.tck.joram;

import io.tunnelmq.jndi.TunnelInitialContextFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import org.objectweb.jtests.jms.admin.Admin;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The provider side of the Joram JMS suite: Joram finds this class through {@code provider.properties}
 * ({@code jms.provider.admin.class}) and creates one instance per test. Each test gets its own
 * {@link EmbeddedBroker} on a free port, so no message left behind by one test can reach the next, and its
 * administered objects are JNDI bindings of our {@link TunnelInitialContextFactory}.
 *
 * <p>Neither the {@link Admin} interface nor this class mentions a JMS type, and the JNDI factory it names has the
 * same class name in both client jars, so this one class serves both Joram runs unchanged: the suite relocated to
 * {@code jakarta.jms} against jms-provider, and the original {@code javax.jms} suite against jms-provider-javax.
 */
public class TunnelJoramAdmin implements Admin {
    private final Map<String, String> bindings = new LinkedHashMap<>();
    private EmbeddedBroker broker;

    /** Joram instantiates this class reflectively. */
    public TunnelJoramAdmin() {
    }

    @Override
    public String getName() {
        return "TunnelMQ";
    }

    @Override
    public synchronized Context createContext() throws NamingException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, TunnelInitialContextFactory.class.getName());
        env.put(Context.PROVIDER_URL, broker().url());
        env.putAll(bindings);
        return new InitialContext(env);
    }

    @Override
    public synchronized void createConnectionFactory(String name) {
        bindings.put("connectionFactory." + name, broker().url());
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
    public synchronized void deleteConnectionFactory(String name) {
        bindings.remove("connectionFactory." + name);
    }

    @Override
    public void deleteQueueConnectionFactory(String name) {
        deleteConnectionFactory(name);
    }

    @Override
    public void deleteTopicConnectionFactory(String name) {
        deleteConnectionFactory(name);
    }

    /** Starts this test's broker on a free port of the loopback interface. */
    @Override
    public synchronized void startServer() {
        if (broker == null) {
            broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        }
    }

    /** Stops this test's broker; its queues and topics go with it. */
    @Override
    public synchronized void stopServer() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    @Override
    public void start() {
        // the broker is ready once startServer() returns
    }

    @Override
    public void stop() {
        // stopServer() does the work; Joram calls it right after this
    }

    private EmbeddedBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("Joram asked for an administered object before startServer(): "
                    + "the suite must run with JMSTestCase.startServer = true (its default)");
        }
        return broker;
    }
}
