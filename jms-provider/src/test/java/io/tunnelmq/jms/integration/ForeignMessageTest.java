package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Messages implemented by another provider are sent like our own (JMS 2.0 §3.12). */
@Timeout(60)
class ForeignMessageTest {
    private static final long WAIT = 5_000;

    private EmbeddedBroker broker;
    private TunnelConnectionFactory factory;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(BrokerConfig.defaults().withPort(0));
        factory = new TunnelConnectionFactory(broker.url());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void aForeignTextMessageArrivesWithItsBodyPropertiesAndApplicationHeaders() throws Exception {
        TextMessage foreign = mock(TextMessage.class);
        when(foreign.getText()).thenReturn("from elsewhere");
        when(foreign.getJMSCorrelationID()).thenReturn("corr-1");
        when(foreign.getJMSType()).thenReturn("greeting");
        // the send sets the priority: whatever the foreign message held is irrelevant, even out of range
        when(foreign.getJMSPriority()).thenReturn(9999);
        when(foreign.getPropertyNames()).thenAnswer(i -> Collections.enumeration(List.of("color", "count")));
        when(foreign.getObjectProperty("color")).thenReturn("red");
        when(foreign.getObjectProperty("count")).thenReturn(3);

        try (Connection c = factory.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = s.createQueue("foreign.text");
            s.createProducer(queue).send(foreign, DeliveryMode.NON_PERSISTENT, 7, 0);

            TextMessage received = (TextMessage) s.createConsumer(queue).receive(WAIT);
            assertThat(received.getText()).isEqualTo("from elsewhere");
            assertThat(received.getJMSCorrelationID()).isEqualTo("corr-1");
            assertThat(received.getJMSType()).isEqualTo("greeting");
            assertThat(received.getJMSPriority()).isEqualTo(7);
            assertThat(received.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
            assertThat(received.getStringProperty("color")).isEqualTo("red");
            assertThat(received.getIntProperty("count")).isEqualTo(3);

            // the send's headers are set on the application's own object too
            verify(foreign).setJMSPriority(7);
            verify(foreign).setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
            verify(foreign).setJMSDestination(queue);
            verify(foreign).setJMSMessageID(received.getJMSMessageID());
        }
    }

    @Test
    void aForeignBytesMessageIsReadToItsEnd() throws Exception {
        byte[] body = new byte[20_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        BytesMessage foreign = mock(BytesMessage.class);
        when(foreign.getPropertyNames()).thenAnswer(i -> Collections.emptyEnumeration());
        int[] read = {0};
        when(foreign.readBytes(any(byte[].class))).thenAnswer(i -> {
            byte[] chunk = i.getArgument(0);
            int n = Math.min(chunk.length, body.length - read[0]);
            if (n == 0) {
                return -1;
            }
            System.arraycopy(body, read[0], chunk, 0, n);
            read[0] += n;
            return n;
        });

        try (Connection c = factory.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = s.createQueue("foreign.bytes");
            s.createProducer(queue).send(foreign);

            Message received = s.createConsumer(queue).receive(WAIT);
            assertThat(received.getBody(byte[].class)).isEqualTo(body);
            verify(foreign).reset();
        }
    }
}
