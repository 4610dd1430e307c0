package io.tunnelmq.jms.pool;

import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** createContext() on the pool: the simplified API, receiveBody included, over pooled connections. */
@Timeout(30)
class PooledContextTest {
    private final PoolFixture fixture = new PoolFixture();
    private final PooledConnectionFactory pool = fixture.pool(p -> {
        p.setMaxConnections(1);
        p.setMaxWaitMillis(2_000);
    });

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void sendAndReceiveBodyThroughPooledContexts() {
        for (int i = 0; i < 3; i++) {
            try (JMSContext context = pool.createContext()) {
                Queue queue = context.createQueue("ctx");
                context.createProducer().send(queue, "hello " + i);
                assertThat(context.createConsumer(queue).receiveBody(String.class, 2_000)).isEqualTo("hello " + i);
            }
        }
        assertThat(fixture.broker.connectionCount()).isEqualTo(1);
        assertThat(pool.getNumIdleConnections()).isEqualTo(1);
    }

    @Test
    void aBodyOfTheWrongTypeLeavesTheMessageForTheNextReceive() {
        try (JMSContext context = pool.createContext()) {
            Queue queue = context.createQueue("ctx-type");
            context.createProducer().send(queue, "text");
            JMSConsumer consumer = context.createConsumer(queue);
            assertThatThrownBy(() -> consumer.receiveBody(byte[].class, 2_000))
                    .isInstanceOf(MessageFormatRuntimeException.class);
            assertThat(consumer.receiveBody(String.class, 2_000)).isEqualTo("text");
        }
    }

    @Test
    void contextsMadeFromAContextShareItsConnectionUntilTheLastCloses() {
        JMSContext first = pool.createContext();
        JMSContext second = first.createContext(JMSContext.SESSION_TRANSACTED);
        Queue queue = second.createQueue("ctx-shared");
        second.createProducer().send(queue, "staged");
        first.close();
        assertThat(pool.getNumActiveConnections()).isEqualTo(1);
        second.close(); // rolls the staged send back and returns the connection
        assertThat(pool.getNumActiveConnections()).isZero();
        try (JMSContext next = pool.createContext()) {
            assertThat(next.createConsumer(queue).receiveBody(String.class, 300)).isNull();
        }
    }

    @Test
    void anUnacknowledgedMessageOfAClientAcknowledgeContextComesBack() throws Exception {
        try (JMSContext context = pool.createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            Queue queue = context.createQueue("ctx-ack");
            context.createProducer().send(queue, "m1");
            assertThat(context.createConsumer(queue).receiveBody(String.class, 2_000)).isEqualTo("m1");
        }
        try (JMSContext context = pool.createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            JMSConsumer consumer = context.createConsumer(context.createQueue("ctx-ack"));
            assertThat(consumer.receive(2_000).getJMSRedelivered()).isTrue();
            context.acknowledge();
        }
        assertThat(fixture.broker.queueDepth("ctx-ack")).isZero();
    }

    @Test
    void aContextFollowsTheConnectionRules() {
        try (JMSContext context = pool.createContext()) {
            context.setClientID("ctx-app");
            assertThat(context.getClientID()).isEqualTo("ctx-app");
            context.createProducer().send(context.createQueue("ctx-id"), "x");
        }
        assertThat(pool.getNumIdleConnections()).isZero(); // it had a client ID: closed, not pooled
        JMSContext closed = pool.createContext();
        closed.close();
        assertThatThrownBy(() -> closed.createQueue("q")).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(() -> pool.createContext(42)).isInstanceOf(JMSRuntimeException.class);
    }
}
