package io.tunnelmq.jms.client;

import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.protocol.ErrorCode;

import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageNotWriteableRuntimeException;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.ResourceAllocationRuntimeException;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.TransactionRolledBackException;
import jakarta.jms.TransactionRolledBackRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one mapping from engine error codes to JMS exceptions, and from those to the runtime family. */
@Timeout(10)
class JmsExceptionsTest {

    private static final Map<ErrorCode, Class<? extends JMSException>> SPECIFIC = Map.ofEntries(
            Map.entry(ErrorCode.INVALID_SELECTOR, InvalidSelectorException.class),
            Map.entry(ErrorCode.INVALID_DESTINATION, InvalidDestinationException.class),
            Map.entry(ErrorCode.ILLEGAL_STATE, IllegalStateException.class),
            Map.entry(ErrorCode.UNKNOWN_LOCK_TOKEN, IllegalStateException.class),
            Map.entry(ErrorCode.LOCK_EXPIRED, IllegalStateException.class),
            Map.entry(ErrorCode.UNKNOWN_CHANNEL, IllegalStateException.class),
            Map.entry(ErrorCode.UNKNOWN_CONSUMER, IllegalStateException.class),
            Map.entry(ErrorCode.AUTHENTICATION_FAILED, JMSSecurityException.class),
            Map.entry(ErrorCode.NOT_AUTHORIZED, JMSSecurityException.class),
            Map.entry(ErrorCode.INVALID_CLIENT_ID, InvalidClientIDException.class),
            Map.entry(ErrorCode.TRANSACTION_ROLLED_BACK, TransactionRolledBackException.class),
            Map.entry(ErrorCode.RESOURCE_EXHAUSTED, ResourceAllocationException.class));

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeMapsWithCauseLinkAndErrorCode(ErrorCode code) {
        EngineException cause = new EngineException(code, "what went wrong");
        JMSException j = JmsExceptions.toJms(new CompletionException(cause), "doing something");
        Class<? extends JMSException> expected = SPECIFIC.getOrDefault(code, JMSException.class);
        assertThat(j.getClass()).isEqualTo(expected);
        assertThat(j.getErrorCode()).isEqualTo(code.name());
        assertThat(j.getMessage()).isEqualTo("doing something: what went wrong");
        assertThat(j.getCause()).isSameAs(cause);
        assertThat(j.getLinkedException()).isSameAs(cause);
    }

    @Test
    void otherFailuresBecomePlainJmsExceptions() {
        RuntimeException boom = new RuntimeException("boom");
        JMSException j = JmsExceptions.toJms(boom);
        assertThat(j.getClass()).isEqualTo(JMSException.class);
        assertThat(j.getMessage()).isEqualTo("boom");
        assertThat(j.getLinkedException()).isSameAs(boom);
        JMSException already = new InvalidDestinationException("x");
        assertThat(JmsExceptions.toJms(already)).isSameAs(already);
    }

    @Test
    void runtimeTwins() {
        Map<JMSException, Class<? extends JMSRuntimeException>> twins = Map.of(
                new IllegalStateException("m", "c"), IllegalStateRuntimeException.class,
                new InvalidClientIDException("m", "c"), InvalidClientIDRuntimeException.class,
                new InvalidDestinationException("m", "c"), InvalidDestinationRuntimeException.class,
                new InvalidSelectorException("m", "c"), InvalidSelectorRuntimeException.class,
                new JMSSecurityException("m", "c"), JMSSecurityRuntimeException.class,
                new MessageFormatException("m", "c"), MessageFormatRuntimeException.class,
                new MessageNotWriteableException("m", "c"), MessageNotWriteableRuntimeException.class,
                new ResourceAllocationException("m", "c"), ResourceAllocationRuntimeException.class,
                new TransactionInProgressException("m", "c"), TransactionInProgressRuntimeException.class,
                new TransactionRolledBackException("m", "c"), TransactionRolledBackRuntimeException.class);
        twins.forEach((checked, runtime) -> {
            JMSRuntimeException r = JmsExceptions.toRuntime(checked);
            assertThat(r.getClass()).isEqualTo(runtime);
            assertThat(r.getErrorCode()).isEqualTo("c");
            assertThat(r.getCause()).isSameAs(checked);
        });
        assertThat(JmsExceptions.toRuntime(new JMSException("m")).getClass()).isEqualTo(JMSRuntimeException.class);
    }

    @Test
    void awaitTurnsTimeoutsAndFailuresIntoJmsExceptions() {
        assertThatThrownBy(() -> Await.result(new CompletableFuture<>(), 50, "waiting for nothing"))
                .isInstanceOf(JMSException.class).hasMessageContaining("waiting for nothing")
                .hasMessageContaining("50 ms")
                .satisfies(e -> assertThat(((JMSException) e).getErrorCode()).isEqualTo("TIMEOUT"));
        assertThatThrownBy(() -> Await.result(CompletableFuture.failedFuture(
                new EngineException(ErrorCode.INVALID_DESTINATION, "no such queue")), 50, "creating a consumer"))
                .isInstanceOf(InvalidDestinationException.class)
                .hasMessage("creating a consumer failed: no such queue");
    }
}
