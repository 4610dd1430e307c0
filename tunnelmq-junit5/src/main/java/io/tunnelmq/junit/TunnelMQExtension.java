package io.tunnelmq.junit;

import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The extension behind {@link EmbeddedTunnelMQ}: starts and stops the broker, resolves the parameters the annotation
 * lists and closes the {@link JMSContext}s it handed out. Applications use the annotation, not this class.
 *
 * <p>The broker lives in the extension store of the context that started it (the class's or the test's), so tests
 * of {@code @Nested} classes share their enclosing class's broker instead of starting their own.
 */
public final class TunnelMQExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TunnelMQExtension.class);
    private static final String BROKER = "broker";
    /** Prefixed with the context's unique id: a lookup by a plain key would find an enclosing context's list. */
    private static final String CONTEXTS = "jms-contexts:";

    @Override
    public void beforeAll(ExtensionContext context) {
        EmbeddedTunnelMQ settings = settings(context);
        switch (settings.lifecycle()) {
            case PER_CLASS -> startUnlessRunning(context, settings);
            case PER_METHOD -> { }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        EmbeddedTunnelMQ settings = settings(context);
        switch (settings.lifecycle()) {
            case PER_CLASS -> { }
            case PER_METHOD -> startUnlessRunning(context, settings);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeContextsAndBroker(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeContextsAndBroker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TunnelMQBroker.class || type == ConnectionFactory.class || type == JMSContext.class
                || (type == String.class && parameter.isAnnotated(BrokerUrl.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TunnelMQBroker broker = runningBroker(context).orElseThrow(() -> new ParameterResolutionException(
                "no TunnelMQ broker is running for " + parameter.getDeclaringExecutable() + ": with lifecycle"
                        + " PER_METHOD the broker starts after the test instance is made, so inject it into test"
                        + " methods (or @BeforeEach methods), not the constructor"));
        Class<?> type = parameter.getParameter().getType();
        if (type == TunnelMQBroker.class) {
            return broker;
        }
        if (type == ConnectionFactory.class) {
            return broker.connectionFactory();
        }
        if (type == JMSContext.class) {
            JMSContext jmsContext = broker.connectionFactory().createContext();
            contextsToClose(context).add(jmsContext);
            return jmsContext;
        }
        return broker.url();
    }

    private static EmbeddedTunnelMQ settings(ExtensionContext context) {
        // @Nested classes take the annotation of the class that encloses them
        for (Class<?> type = context.getRequiredTestClass(); type != null; type = type.getEnclosingClass()) {
            Optional<EmbeddedTunnelMQ> found = AnnotationSupport.findAnnotation(type, EmbeddedTunnelMQ.class);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new ExtensionConfigurationException(TunnelMQExtension.class.getSimpleName() + " needs @"
                + EmbeddedTunnelMQ.class.getSimpleName() + " on " + context.getRequiredTestClass().getName()
                + " (register it through the annotation, not with @ExtendWith)");
    }

    private static void startUnlessRunning(ExtensionContext context, EmbeddedTunnelMQ settings) {
        if (runningBroker(context).isPresent()) {
            return;
        }
        BrokerConfig config = BrokerConfig.defaults().withPort(0);
        if (settings.lockDurationMillis() > 0) {
            config = config.withLockDurationMillis(settings.lockDurationMillis());
        }
        if (settings.maxDeliveryCount() > 0) {
            config = config.withMaxDeliveryCount(settings.maxDeliveryCount());
        }
        context.getStore(NAMESPACE).put(BROKER, new TunnelMQBroker(EmbeddedBroker.start(config)));
    }

    /** The broker this context started, or the one of an enclosing context (the store looks up its parents). */
    private static Optional<TunnelMQBroker> runningBroker(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NAMESPACE).get(BROKER, TunnelMQBroker.class));
    }

    @SuppressWarnings("unchecked")
    private static List<JMSContext> contextsToClose(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(CONTEXTS + context.getUniqueId(),
                key -> new ArrayList<JMSContext>(), List.class);
    }

    /** Contexts first: closing them after their broker would make each wait for a goodbye that cannot come. */
    @SuppressWarnings("unchecked")
    private static void closeContextsAndBroker(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        try {
            List<JMSContext> contexts = store.remove(CONTEXTS + context.getUniqueId(), List.class);
            if (contexts != null) {
                closeAll(contexts);
            }
        } finally {
            // remove() only looks at this context's own store: an enclosing context's broker stays up
            TunnelMQBroker started = store.remove(BROKER, TunnelMQBroker.class);
            if (started != null) {
                started.embeddedBroker().close();
            }
        }
    }

    /** Closes every context even if one fails; the first failure is thrown with the others suppressed. */
    private static void closeAll(List<JMSContext> contexts) {
        RuntimeException failure = null;
        for (JMSContext jmsContext : contexts) {
            try {
                jmsContext.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
