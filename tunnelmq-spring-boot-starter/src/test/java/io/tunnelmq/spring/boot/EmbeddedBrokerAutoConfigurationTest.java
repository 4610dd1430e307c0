package io.tunnelmq.spring.boot;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.pool.PooledConnectionFactory;
import io.tunnelmq.server.EmbeddedBroker;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jms.JmsAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jms.core.JmsTemplate;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** tunnelmq.embedded.*: the broker inside the application, its ConnectionFactory, and the order of shutdown. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedBrokerAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TunnelMQAutoConfiguration.class, JmsAutoConfiguration.class))
            .withPropertyValues("tunnelmq.embedded.enabled=true");

    @Test
    void jmsTemplateRoundTripsThroughTheEmbeddedBroker() {
        runner.run(context -> {
            EmbeddedBroker broker = context.getBean(EmbeddedBroker.class);
            assertThat(broker.port()).as("port 0 by default: a free one").isNotEqualTo(9494);
            assertThat(broker.config().store()).isEqualTo(io.tunnelmq.server.BrokerConfig.StoreKind.MEMORY);
            JmsTemplate template = context.getBean(JmsTemplate.class);
            template.setReceiveTimeout(10_000);
            template.convertAndSend("greetings", "hello");
            assertThat(template.receiveAndConvert("greetings")).isEqualTo("hello");
            assertThat(broker.queueDepth("greetings")).isZero();
            assertThat(io.netty.util.Version.identify().get("netty-common").artifactVersion())
                    .as("client and broker ran on the Netty Boot 3.5 pins").startsWith("4.1.");
        });
    }

    @Test
    void notEnabledStartsNoBroker() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TunnelMQAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(EmbeddedBroker.class)
                        .hasSingleBean(ConnectionFactory.class));
    }

    @Test
    void anExplicitUrlWinsOverTheEmbeddedBroker() {
        runner.withPropertyValues("tunnelmq.pool.enabled=false", "tunnelmq.url=tmq://elsewhere:1234").run(context -> {
            assertThat(context).hasSingleBean(EmbeddedBroker.class);
            TunnelConnectionFactory factory = (TunnelConnectionFactory) context.getBean(ConnectionFactory.class);
            assertThat(factory.getOptions().addresses()).containsExactly("elsewhere:1234");
        });
    }

    @Test
    void persistentKeepsAJournalInTheDataDir(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path data = dir.resolve("journal");
        runner.withPropertyValues("tunnelmq.embedded.persistent=true", "tunnelmq.embedded.data-dir=" + data)
                .run(context -> {
                    EmbeddedBroker broker = context.getBean(EmbeddedBroker.class);
                    assertThat(broker.config().store()).isEqualTo(io.tunnelmq.server.BrokerConfig.StoreKind.JOURNAL);
                    assertThat(broker.config().dataDir()).isEqualTo(data);
                    assertThat(data).isDirectory();
                });
    }

    @Test
    void shutdownClosesThePoolBeforeItStopsTheBroker() {
        AtomicReference<PooledConnectionFactory> pool = new AtomicReference<>();
        AtomicReference<String> url = new AtomicReference<>();
        runner.run(context -> {
            pool.set(context.getBean(PooledConnectionFactory.class));
            url.set(context.getBean(EmbeddedBroker.class).url());
            context.getBean(JmsTemplate.class).convertAndSend("q", "open a pooled connection");
            assertThat(pool.get().getNumIdleConnections()).isEqualTo(1);
            // what makes Spring destroy the ConnectionFactory before the broker
            assertThat(context.getBeanFactory().getDependentBeans("tunnelmqEmbeddedBroker"))
                    .contains("tunnelmqConnectionFactory");
        });
        assertThatThrownBy(() -> pool.get().createConnection()).isInstanceOf(jakarta.jms.IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(pool.get().getNumIdleConnections()).isZero();
        TunnelConnectionFactory direct = new TunnelConnectionFactory(url.get() + "?reconnect=false&connectTimeout=2000");
        assertThatThrownBy(direct::createConnection).as("the broker is stopped").isInstanceOf(JMSException.class);
    }

    @Test
    void withoutJmsServerTheStartFailsNamingTheArtifact() {
        runner.withClassLoader(new FilteredClassLoader(EmbeddedBroker.class)).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            assertThat(failure).rootCause().isInstanceOf(EmbeddedBrokerMissingException.class)
                    .hasMessageContaining("io.tunnelmq:jms-server").hasMessageContaining("tunnelmq.embedded.enabled");
            FailureAnalysis analysis = new EmbeddedBrokerMissingFailureAnalyzer().analyze(failure);
            assertThat(analysis).isNotNull();
            assertThat(analysis.getAction()).contains("io.tunnelmq:jms-server");
        });
    }

    @Test
    void withoutJmsServerAndNotEnabledAllIsWell() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TunnelMQAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(EmbeddedBroker.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ConnectionFactory.class));
    }
}
