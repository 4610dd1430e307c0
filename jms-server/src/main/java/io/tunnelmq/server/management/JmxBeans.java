package io.tunnelmq.server.management;

import io.tunnelmq.server.destination.DestinationListener;
import io.tunnelmq.server.destination.NamedSubscription;
import io.tunnelmq.server.queue.PeekLockQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The broker's JMX face on the platform MBean server: one {@link BrokerMXBean}, a {@link QueueMXBean} per queue and a
 * {@link SubscriptionMXBean} per named topic subscription, registered and unregistered as they come and go (temporary
 * queues and unnamed subscriptions have none). Names carry the broker's address
 * ({@code broker="host:port"}), so brokers embedded side by side in one JVM do not collide. {@link #close()}
 * unregisters them all.
 */
public final class JmxBeans implements DestinationListener, AutoCloseable {
    /** The JMX domain of every TunnelMQ bean. */
    public static final String DOMAIN = "io.tunnelmq";
    private static final Logger log = LoggerFactory.getLogger(JmxBeans.class);

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    /** The queue each registered queue bean shows, so a late removal of a queue never unregisters its successor. */
    private final Map<String, PeekLockQueue> registered = new ConcurrentHashMap<>();
    /** The same for subscription beans, by the subscription's name. */
    private final Map<String, PeekLockQueue> subscriptions = new ConcurrentHashMap<>();
    private final Management management;
    private final String broker;
    private volatile boolean closed;

    private JmxBeans(Management management, String broker) {
        this.management = management;
        this.broker = broker;
    }

    /**
     * Registers the broker's bean and one per queue it has, and follows its queues from now on.
     *
     * @param broker the broker's address, {@code host:port}, in every bean's name
     */
    public static JmxBeans register(Management management, String version, String url, String broker) {
        JmxBeans beans = new JmxBeans(management, broker);
        beans.register(brokerName(broker), new BrokerBean(management, version, url));
        management.listen(beans); // first: a queue made meanwhile is registered by one side or the other
        for (PeekLockQueue queue : management.queues()) {
            beans.queueCreated(queue, management.isTemporaryQueue(queue.name()));
        }
        management.namedSubscriptions().forEach(beans::namedSubscriptionCreated);
        return beans;
    }

    /** {@code io.tunnelmq:type=Broker,broker="host:port"}. */
    public static ObjectName brokerName(String broker) {
        return name("type=Broker,broker=" + ObjectName.quote(broker));
    }

    /** {@code io.tunnelmq:type=Queue,broker="host:port",name="Q"}. */
    public static ObjectName queueName(String broker, String queue) {
        return name("type=Queue,broker=" + ObjectName.quote(broker) + ",name=" + ObjectName.quote(queue));
    }

    /** {@code io.tunnelmq:type=Subscription,broker="host:port",name="topic:clientId.name"}. */
    public static ObjectName subscriptionName(String broker, String subscription) {
        return name("type=Subscription,broker=" + ObjectName.quote(broker) + ",name=" + ObjectName.quote(subscription));
    }

    @Override
    public void queueCreated(PeekLockQueue queue, boolean temporary) {
        if (!temporary && !closed && registered.put(queue.name(), queue) != queue) {
            register(queueName(broker, queue.name()), new QueueBean(queue, management));
        }
    }

    @Override
    public void queueRemoved(PeekLockQueue queue, boolean temporary) {
        if (!temporary && registered.remove(queue.name(), queue)) {
            unregister(queueName(broker, queue.name()));
        }
    }

    @Override
    public void namedSubscriptionCreated(NamedSubscription subscription) {
        String name = subscription.operatorName();
        if (!closed && subscriptions.put(name, subscription.queue()) != subscription.queue()) {
            register(subscriptionName(broker, name), new SubscriptionBean(subscription, management));
        }
    }

    @Override
    public void namedSubscriptionRemoved(NamedSubscription subscription) {
        if (subscriptions.remove(subscription.operatorName(), subscription.queue())) {
            unregister(subscriptionName(broker, subscription.operatorName()));
        }
    }

    /** Unregisters every bean of this broker. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (ObjectName name : server.queryNames(name("broker=" + ObjectName.quote(broker) + ",*"), null)) {
            unregister(name);
        }
    }

    /**
     * Runs an operation for a JMX client: refusals become exceptions every JMX client can read (a remote console
     * does not have the broker's exception classes).
     */
    static <T> T operation(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    /**
     * Registers a bean, replacing one of that name: the newest wins, so a broker restarted on the same address in
     * this JVM (after one that was never closed) shows itself, not its predecessor.
     */
    private void register(ObjectName name, Object bean) {
        try {
            try {
                server.registerMBean(bean, name);
            } catch (InstanceAlreadyExistsException e) {
                unregister(name);
                server.registerMBean(bean, name);
            }
        } catch (JMException e) {
            log.warn("could not register JMX bean {}: {}", name, e.toString());
        }
    }

    private void unregister(ObjectName name) {
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            log.debug("JMX bean {} is gone already", name);
        } catch (JMException e) {
            log.warn("could not unregister JMX bean {}: {}", name, e.toString());
        }
    }

    private static ObjectName name(String properties) {
        try {
            return new ObjectName(DOMAIN + ":" + properties);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not a JMX name: " + DOMAIN + ":" + properties, e);
        }
    }
}
