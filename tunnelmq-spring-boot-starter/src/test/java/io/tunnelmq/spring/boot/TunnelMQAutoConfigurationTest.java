package io.tunnelmq.spring.boot;

import io.tunnelmq.jms.ConnectionOptions;
import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.pool.PooledConnectionFactory;
import jakarta.jms.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.boot.autoconfigure.jms.JmsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.core.JmsTemplate;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The ConnectionFactory the starter makes from the tunnelmq.* properties (no broker needed: nothing connects). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TunnelMQAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TunnelMQAutoConfiguration.class, JmsAutoConfiguration.class));

    @Test
    void byDefaultAPoolOverLocalhostBacksBootsJmsTemplate() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ConnectionFactory.class);
            ConnectionFactory factory = context.getBean(ConnectionFactory.class);
            assertThat(factory).isInstanceOf(PooledConnectionFactory.class);
            assertThat(context.getBean(JmsTemplate.class).getConnectionFactory()).isSameAs(factory);
            assertThat(context.getBean(TunnelMQProperties.class).getPool().isEnabled()).isTrue();
            assertThat(new ConnectionFactoryBuilder(context.getBean(TunnelMQProperties.class))
                    .options(TunnelMQProperties.DEFAULT_URL).addresses()).containsExactly("localhost:9494");
        });
    }

    @Test
    void thePropertiesDefaultsAreThePoolsOwn() {
        runner.run(context -> {
            PooledConnectionFactory starter = context.getBean(PooledConnectionFactory.class);
            PooledConnectionFactory plain = new PooledConnectionFactory(new TunnelConnectionFactory());
            assertThat(starter).usingRecursiveComparison().comparingOnlyFields("maxConnections",
                    "maxSessionsPerConnection", "blockIfExhausted", "maxWaitMillis", "timeBetweenEvictionRunsMillis",
                    "minIdleTimeMillis", "poolConsumers").isEqualTo(plain);
        });
    }

    @Test
    void poolDisabledGivesAPlainFactoryForTheDefaultUrl() {
        runner.withPropertyValues("tunnelmq.pool.enabled=false").run(context -> {
            ConnectionFactory factory = context.getBean(ConnectionFactory.class);
            assertThat(factory).isExactlyInstanceOf(TunnelConnectionFactory.class);
            assertThat(((TunnelConnectionFactory) factory).getOptions()).isEqualTo(ConnectionOptions.defaults());
        });
    }

    @Test
    void connectionPropertiesAndOptionsReachTheConnections() {
        runner.withPropertyValues("tunnelmq.pool.enabled=false", "tunnelmq.url=tmq://a:1,b:2?prefetch=3",
                "tunnelmq.user=app", "tunnelmq.password=s&cret", "tunnelmq.client-id=orders",
                "tunnelmq.options.prefetch=7", "tunnelmq.options.serializablePackages=com.example.").run(context -> {
            ConnectionOptions options = ((TunnelConnectionFactory) context.getBean(ConnectionFactory.class)).getOptions();
            assertThat(options.addresses()).isEqualTo(List.of("a:1", "b:2"));
            assertThat(options.user()).isEqualTo("app");
            assertThat(options.password()).isEqualTo("s&cret");
            assertThat(options.clientId()).isEqualTo("orders");
            assertThat(options.prefetch()).as("tunnelmq.options win over the URL's").isEqualTo(7);
            assertThat(options.serializablePackages()).isEqualTo("com.example.");
        });
    }

    @Test
    void poolPropertiesReachThePool() {
        runner.withPropertyValues("tunnelmq.pool.max-connections=3", "tunnelmq.pool.max-sessions-per-connection=9",
                "tunnelmq.pool.block-if-exhausted=false", "tunnelmq.pool.max-wait=5s",
                "tunnelmq.pool.time-between-eviction-runs=0", "tunnelmq.pool.min-idle-time=2m",
                "tunnelmq.pool.pool-consumers=true").run(context -> {
            PooledConnectionFactory pool = context.getBean(PooledConnectionFactory.class);
            assertThat(pool.getMaxConnections()).isEqualTo(3);
            assertThat(pool.getMaxSessionsPerConnection()).isEqualTo(9);
            assertThat(pool.isBlockIfExhausted()).isFalse();
            assertThat(pool.getMaxWaitMillis()).isEqualTo(5_000);
            assertThat(pool.getTimeBetweenEvictionRunsMillis()).isZero();
            assertThat(pool.getMinIdleTimeMillis()).isEqualTo(120_000);
            assertThat(pool.isPoolConsumers()).isTrue();
        });
    }

    @Test
    void theApplicationsOwnConnectionFactoryWins() {
        runner.withUserConfiguration(OwnFactory.class).run(context -> {
            assertThat(context).hasSingleBean(ConnectionFactory.class);
            assertThat(context.getBean(ConnectionFactory.class)).isSameAs(OwnFactory.FACTORY);
            assertThat(context.getBean(JmsTemplate.class).getConnectionFactory()).isSameAs(OwnFactory.FACTORY);
        });
    }

    @Test
    void aBadUrlFailsTheStartNamingTheUrl() {
        runner.withPropertyValues("tunnelmq.url=http://broker:9494").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("http://broker:9494")
                    .hasMessageContaining("must start with tmq://");
        });
    }

    @Test
    void bootFindsTheAutoConfigurationAndTheFailureAnalyzer() {
        ClassLoader loader = getClass().getClassLoader();
        assertThat(ImportCandidates.load(AutoConfiguration.class, loader).getCandidates())
                .contains(TunnelMQAutoConfiguration.class.getName());
        // Boot's own analyzers need constructor arguments this test does not have: skip them
        SpringFactoriesLoader.FailureHandler skipOthers = (type, implementation, failure) -> { };
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation(loader).load(FailureAnalyzer.class, skipOthers))
                .hasAtLeastOneElementOfType(EmbeddedBrokerMissingFailureAnalyzer.class);
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnFactory {
        static final ConnectionFactory FACTORY = new TunnelConnectionFactory("tmq://elsewhere:1234");

        @Bean
        ConnectionFactory myConnectionFactory() {
            return FACTORY;
        }
    }
}
