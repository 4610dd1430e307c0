package io.tunnelmq.jms.client;

import io.tunnelmq.jms.TunnelSession;
import io.tunnelmq.protocol.ErrorCode;

import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simplified API: round trips of every body kind, runtime exceptions, shared connections. */
@Timeout(30)
class JmsContextTest extends FakeBrokerTestSupport {

    @Test
    void everyBodyKindRoundTrips() {
        try (JMSContext context = factory.createContext()) {
            Queue q = context.createQueue("q");
            JMSProducer producer = context.createProducer();
            producer.setProperty("kind", "text").send(q, "hello");
            producer.clearProperties();
            producer.send(q, Map.of("k", 1));
            producer.send(q, new byte[] {1, 2});
            producer.send(q, new ArrayList<>(List.of("s")));
            JMSConsumer consumer = context.createConsumer(q);
            Message first = consumer.receive(5_000);
            assertThat(first.getBody(String.class)).isEqualTo("hello");
            assertThat(first.getStringProperty("kind")).isEqualTo("text");
            assertThat(consumer.receiveBody(Map.class, 5_000)).containsEntry("k", 1);
            assertThat(consumer.receiveBody(byte[].class, 5_000)).containsExactly(1, 2);
            assertThat(consumer.receiveBody(List.class, 5_000)).containsExactly("s");
            assertThat(consumer.receiveBodyNoWait(String.class)).isNull();
        } catch (JMSException e) {
            throw new AssertionError(e);
        }
        eventually("all completed", () -> broker.depth("q") == 0);
    }

    @Test
    void producerSettingsAndHeadersApplyToSentMessages() throws Exception {
        try (JMSContext context = factory.createContext()) {
            Queue q = context.createQueue("q");
            Queue replies = context.createQueue("replies");
            JMSProducer producer = context.createProducer().setPriority(8).setJMSType("order")
                    .setJMSCorrelationID("c-1").setJMSReplyTo(replies).setTimeToLive(10_000)
                    .setProperty("n", 5).setDisableMessageTimestamp(true);
            assertThat(producer.getIntProperty("n")).isEqualTo(5);
            assertThat(producer.getLongProperty("n")).isEqualTo(5L);
            assertThatThrownBy(() -> producer.getBooleanProperty("n"))
                    .isInstanceOf(MessageFormatRuntimeException.class);
            assertThat(producer.getPropertyNames()).containsExactly("n");
            assertThatThrownBy(() -> producer.setPriority(11)).isInstanceOf(JMSRuntimeException.class);
            assertThatThrownBy(() -> producer.setDeliveryMode(0)).isInstanceOf(JMSRuntimeException.class);
            assertThatThrownBy(() -> producer.setProperty("bad name", 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> producer.setProperty("obj", new Object()))
                    .isInstanceOf(MessageFormatRuntimeException.class);
            producer.send(q, "body");
            Message m = context.createConsumer(q).receive(5_000);
            assertThat(m.getJMSPriority()).isEqualTo(8);
            assertThat(m.getJMSType()).isEqualTo("order");
            assertThat(m.getJMSCorrelationID()).isEqualTo("c-1");
            assertThat(m.getJMSReplyTo()).isEqualTo(replies);
            assertThat(m.getJMSTimestamp()).isZero();
            assertThat(m.getJMSExpiration()).isPositive();
            assertThat(m.getIntProperty("n")).isEqualTo(5);
        }
    }

    @Test
    void asyncSendThroughTheContext() throws Exception {
        try (JMSContext context = factory.createContext()) {
            CompletableFuture<Message> done = new CompletableFuture<>();
            context.createProducer().setAsync(new jakarta.jms.CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    done.complete(message);
                }

                @Override
                public void onException(Message message, Exception exception) {
                    done.completeExceptionally(exception);
                }
            }).send(context.createQueue("q"), "async");
            assertThat(((TextMessage) done.get(5, TimeUnit.SECONDS)).getText()).isEqualTo("async");
        }
    }

    @Test
    void failuresAreRuntimeExceptionsOfTheMatchingKind() {
        JMSContext context = track(factory.createContext());
        Queue q = context.createQueue("q");
        assertThatThrownBy(() -> context.createConsumer(q, "a >")).isInstanceOf(InvalidSelectorRuntimeException.class);
        assertThatThrownBy(() -> context.createQueue("")).isInstanceOf(InvalidDestinationRuntimeException.class);
        // a null topic is an invalid destination even before the missing client ID matters
        assertThatThrownBy(() -> context.createDurableConsumer(null, "sub"))
                .isInstanceOf(InvalidDestinationRuntimeException.class);
        assertThatThrownBy(() -> context.createDurableConsumer(context.createTopic("t"), "sub"))
                .isInstanceOf(IllegalStateRuntimeException.class).hasMessageContaining("client ID");
        assertThatThrownBy(() -> context.createProducer().send(null, "x"))
                .isInstanceOf(InvalidDestinationRuntimeException.class);
        assertThatThrownBy(() -> context.createProducer().send(q, (Message) null))
                .isInstanceOf(MessageFormatRuntimeException.class);
        assertThatThrownBy(context::commit).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(() -> factory.createContext(42)).isInstanceOf(JMSRuntimeException.class)
                .hasMessageContaining("42");
        assertThatThrownBy(() -> factory("tmq://unreachable:1").createContext()).isInstanceOf(JMSRuntimeException.class)
                .hasMessageContaining("unreachable:1");

        context.createProducer().send(q, "not a map");
        JMSConsumer consumer = context.createConsumer(q);
        assertThatThrownBy(() -> consumer.receiveBody(Map.class, 5_000))
                .isInstanceOf(MessageFormatRuntimeException.class);
        // in AUTO mode the message that could not be returned is handed out again, as if the call had not happened
        Message again = consumer.receive(5_000);
        assertThat(again).isNotNull();
        try {
            assertThat(again.getJMSRedelivered()).isFalse();
        } catch (JMSException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void transactedContextCommitFailureIsATransactionRolledBackRuntimeException() {
        JMSContext context = track(factory.createContext(JMSContext.SESSION_TRANSACTED));
        assertThat(context.getTransacted()).isTrue();
        context.createProducer().send(context.createQueue("q"), "x");
        broker.failNext("commit", ErrorCode.TRANSACTION_ROLLED_BACK);
        assertThatThrownBy(context::commit).isInstanceOf(TransactionRolledBackRuntimeException.class);
        context.createProducer().send(context.createQueue("q"), "y");
        context.commit();
        assertThat(broker.depth("q")).isEqualTo(1);
    }

    @Test
    void clientIdRulesAndAClosedContext() {
        JMSContext context = factory.createContext();
        context.setClientID("ctx-id");
        assertThat(context.getClientID()).isEqualTo("ctx-id");
        assertThatThrownBy(() -> context.setClientID("again")).isInstanceOf(IllegalStateRuntimeException.class);
        JMSContext admin = track(factory("tmq://localhost:9494?clientID=fixed").createContext());
        assertThatThrownBy(() -> admin.setClientID("x")).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(() -> track(factory("tmq://localhost:9494?clientID=fixed").createContext()))
                .isInstanceOf(InvalidClientIDRuntimeException.class);
        context.close();
        context.close();
        assertThatThrownBy(context::createProducer).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(() -> context.createQueue("q")).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(context::createTextMessage).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(context::start).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(context::getMetaData).isInstanceOf(IllegalStateRuntimeException.class);
    }

    @Test
    void contextsMadeFromAContextShareItsConnection() {
        JMSContext first = factory.createContext();
        JMSContext second = first.createContext(JMSContext.CLIENT_ACKNOWLEDGE);
        assertThat(second.getSessionMode()).isEqualTo(JMSContext.CLIENT_ACKNOWLEDGE);
        Queue q = first.createQueue("q");
        second.createProducer().send(q, "shared");
        assertThat(broker.openConnections()).isEqualTo(1);
        first.close();
        assertThat(broker.openConnections()).isEqualTo(1);
        JMSConsumer consumer = second.createConsumer(q);
        assertThat(consumer.receiveBody(String.class, 5_000)).isEqualTo("shared");
        second.acknowledge();
        second.close();
        assertThat(broker.openConnections()).isZero();
        assertThat(broker.depth("q")).isZero();
    }

    @Test
    void autoStartCanBeTurnedOff() {
        JMSContext context = track(factory.createContext(TunnelSession.INDIVIDUAL_ACKNOWLEDGE));
        context.setAutoStart(false);
        assertThat(context.getAutoStart()).isFalse();
        Queue q = context.createQueue("q");
        context.createProducer().send(q, "waiting");
        JMSConsumer consumer = context.createConsumer(q);
        assertThat(consumer.receive(100)).isNull();
        context.start();
        assertThat(consumer.receiveBody(String.class, 5_000)).isEqualTo("waiting");
    }

    @Test
    void aListenerMayNotCloseOrStopItsContext() throws Exception {
        JMSContext context = track(factory.createContext());
        Queue q = context.createQueue("q");
        CompletableFuture<String> outcome = new CompletableFuture<>();
        context.createConsumer(q).setMessageListener(m -> {
            StringBuilder sb = new StringBuilder();
            for (Runnable call : List.<Runnable>of(context::close, context::stop)) {
                try {
                    call.run();
                    sb.append("allowed;");
                } catch (IllegalStateRuntimeException e) {
                    sb.append("refused;");
                }
            }
            outcome.complete(sb.toString());
        });
        context.createProducer().send(q, "x");
        assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo("refused;refused;");
    }
}
