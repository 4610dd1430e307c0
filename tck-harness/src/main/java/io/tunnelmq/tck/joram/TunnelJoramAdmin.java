package io.tunnelmq.tck.joram;

import io.tunnelmq.jndi.TunnelInitialContextFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import org.objectweb.jtests.jms.admin.Admin;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;

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
public class TunnelJoramAdmin extends JndiBindingsAdmin {
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
        return new InitialContext(environment(broker().url()));
    }

    @Override
    public synchronized void createConnectionFactory(String name) {
        bindings.put("connectionFactory." + name, broker().url());
    }

    @Override
    public synchronized void deleteConnectionFactory(String name) {
        bindings.remove("connectionFactory." + name);
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

    private EmbeddedBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("Joram asked for an administered object before startServer(): "
                    + "the suite must run with JMSTestCase.startServer = true (its default)");
        }
        return broker;
    }
}
