package io.tunnelmq.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts an in-JVM TunnelMQ broker on a free port for a test class, and stops it afterwards. Test methods (and, for
 * {@link Lifecycle#PER_CLASS}, constructors and {@code @BeforeAll}/{@code @AfterAll} methods) may declare parameters
 * of these types:
 * <ul>
 *   <li>{@link TunnelMQBroker} — the broker's URL and queue inspection for assertions (depth, browse, dead letters);</li>
 *   <li>{@code @}{@link BrokerUrl} {@code String} — the URL to connect to, {@code tmq://127.0.0.1:<port>};</li>
 *   <li>{@link jakarta.jms.ConnectionFactory} — a {@code TunnelConnectionFactory} for the broker;</li>
 *   <li>{@link jakarta.jms.JMSContext} — a new context ({@code AUTO_ACKNOWLEDGE}), closed after the test (or after
 *       the class, when a class-level method asked for it).</li>
 * </ul>
 *
 * <pre>{@code
 * @EmbeddedTunnelMQ
 * class OrderServiceTest {
 *     @Test
 *     void placesAnOrder(ConnectionFactory factory, TunnelMQBroker broker) {
 *         new OrderService(factory).place("book");
 *         assertThat(broker.queueDepth("orders")).isEqualTo(1);
 *     }
 * }
 * }</pre>
 *
 * Persistent messages are kept in memory; nothing outlives the broker.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TunnelMQExtension.class)
public @interface EmbeddedTunnelMQ {

    /** When a fresh broker is started: once for the class (default) or before every test. */
    Lifecycle lifecycle() default Lifecycle.PER_CLASS;

    /** How long a delivered message stays locked, in milliseconds; 0 keeps the broker's default (60 s). */
    long lockDurationMillis() default 0;

    /** Deliveries before a message is moved to its dead-letter queue {@code DLQ.<queue>}; 0 keeps the default (10). */
    int maxDeliveryCount() default 0;

    /** How long a broker lives. */
    enum Lifecycle {
        /** One broker for all the tests of the class: what one test leaves in a queue, the next one sees. */
        PER_CLASS,
        /**
         * A new broker for every test: each starts with empty queues. Inject the broker into test methods, not the
         * constructor: the test instance is made before the broker starts.
         */
        PER_METHOD
    }
}
