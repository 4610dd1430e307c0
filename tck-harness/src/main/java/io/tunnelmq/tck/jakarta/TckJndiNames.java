package io.tunnelmq.tck.jakarta;

import io.tunnelmq.jndi.TunnelInitialContextFactory;

import javax.naming.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The administered objects the Jakarta Messaging TCK looks up, as the system properties our
 * {@link TunnelInitialContextFactory} reads: the TCK calls {@code new InitialContext()} with no environment, so
 * {@code java.naming.factory.initial} and every {@code connectionFactory.}/{@code queue.}/{@code topic.} key must
 * be system properties of the test JVM.
 */
public final class TckJndiNames {
    /** Connection factories the TCK looks up without a client ID. */
    public static final List<String> FACTORIES = List.of("MyConnectionFactory", "MyQueueConnectionFactory",
            "MyTopicConnectionFactory");
    /** The factory whose connections carry the administratively configured client ID {@value #DURABLE_CLIENT_ID}. */
    public static final String DURABLE_FACTORY = "DURABLE_SUB_CONNECTION_FACTORY";
    /** The TCK checks that this client ID, set by the administrator, cannot be changed. */
    public static final String DURABLE_CLIENT_ID = "cts";
    public static final List<String> QUEUES = List.of("MY_QUEUE", "MY_QUEUE2", "testQ0", "testQ1", "testQ2",
            "testQueue2", "Q2");
    public static final List<String> TOPICS = List.of("MY_TOPIC", "MY_TOPIC2", "testT0", "testT1", "testT2");

    private TckJndiNames() {
    }

    /**
     * The system properties that bind every name the TCK uses to the broker at {@code brokerUrl}
     * ({@code tmq://host:port}, without options).
     */
    public static Map<String, String> systemProperties(String brokerUrl) {
        if (brokerUrl == null || !brokerUrl.startsWith("tmq://") || brokerUrl.contains("?")) {
            throw new IllegalArgumentException("expected the broker URL as tmq://host:port without options, got '"
                    + brokerUrl + "'");
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put(Context.INITIAL_CONTEXT_FACTORY, TunnelInitialContextFactory.class.getName());
        props.put(Context.PROVIDER_URL, brokerUrl);
        for (String name : FACTORIES) {
            props.put("connectionFactory." + name, brokerUrl);
        }
        props.put("connectionFactory." + DURABLE_FACTORY, brokerUrl + "?clientID=" + DURABLE_CLIENT_ID);
        for (String name : QUEUES) {
            props.put("queue." + name, name);
        }
        for (String name : TOPICS) {
            props.put("topic." + name, name);
        }
        return props;
    }
}
