package io.tunnelmq.bench.compare;

import io.tunnelmq.bench.Eventually;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class MetricsScraperTest {

    @Test
    void scrapesTheBrokersMetricsAtItsPaceAndCountsAFailureForAPortWithoutThem() throws Exception {
        int httpPort;
        try (ServerSocket free = new ServerSocket(0)) {
            httpPort = free.getLocalPort();
        }
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withHttpPort(httpPort));
             MetricsScraper scraper = MetricsScraper.start(URI.create("http://127.0.0.1:" + httpPort + "/metrics"),
                     Duration.ofMillis(100));
             MetricsScraper wrong = MetricsScraper.start(URI.create("http://127.0.0.1:" + httpPort + "/nothing"),
                     Duration.ofMillis(100))) {
            Eventually.await(() -> scraper.summary().scrapes() >= 3 && wrong.summary().scrapes() >= 1, done -> done,
                    Duration.ofSeconds(20), done -> "scrapes: " + scraper.summary() + ", " + wrong.summary());
            MetricsScraper.Summary good = scraper.stop();
            MetricsScraper.Summary bad = wrong.stop();

            assertThat(good.failures()).isZero();
            assertThat(good.meanBytes()).isPositive();
            assertThat(good.maxMillis()).isGreaterThanOrEqualTo(good.meanMillis()).isPositive();
            assertThat(good.describe()).contains("GETs of /metrics every 100 ms, 0 failed");
            assertThat(bad.failures()).isEqualTo(bad.scrapes());
            assertThat(bad.describe()).contains("last: HTTP 404");
        }
    }
}
