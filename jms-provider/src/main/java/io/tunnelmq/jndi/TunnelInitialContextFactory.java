package io.tunnelmq.jndi;

import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;
import java.util.Hashtable;

/**
 * A JNDI {@link InitialContextFactory} that builds its names from the environment, the way users of
 * ActiveMQ Artemis and Qpid JMS already configure them. Put this in {@code jndi.properties} on the classpath:
 *
 * <pre>
 * java.naming.factory.initial = io.tunnelmq.jndi.TunnelInitialContextFactory
 * java.naming.provider.url    = tmq://localhost:9494
 * connectionFactory.myFactory = tmq://localhost:9494?clientID=orders-app
 * connectionFactory.trusting  = ?serializablePackages=com.example.orders.
 * queue.jms/orders            = orders
 * topic.prices                = market.prices
 * </pre>
 *
 * <ul>
 *   <li>{@code connectionFactory.<name>=<url>} (also {@code connectionfactory.}) binds a connection factory; an
 *       empty URL means {@code java.naming.provider.url}, and a value of options only
 *       ({@code ?serializablePackages=com.example.}) means that URL with these options. URL options such as
 *       {@code clientID} or {@code serializablePackages} apply to it.</li>
 *   <li>With no factory configured, {@code ConnectionFactory}, {@code QueueConnectionFactory} and
 *       {@code TopicConnectionFactory} are bound to {@code java.naming.provider.url} (default
 *       {@code tmq://localhost:9494}).</li>
 *   <li>{@code queue.<name>=<physical name>} and {@code topic.<name>=<physical name>} bind destinations.</li>
 *   <li>{@code dynamicQueues/<physical name>} and {@code dynamicTopics/<physical name>} look up destinations that
 *       were not configured.</li>
 * </ul>
 * Names may contain {@code /}, {@code :} and {@code =} (escape {@code :} and {@code =} with a backslash in a
 * properties file key). Keys come from the environment handed to the factory, which JNDI fills from
 * {@code jndi.properties} files and the {@code Hashtable} given to {@code InitialContext}; system properties with
 * the same prefixes are used where the environment has no such key.
 */
public class TunnelInitialContextFactory implements InitialContextFactory {

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) throws NamingException {
        Hashtable<Object, Object> env = new Hashtable<>();
        if (environment != null) {
            env.putAll(environment);
        }
        return new TunnelContext(JndiBindings.from(env, System.getProperties()), env);
    }
}
