package io.tunnelmq.server.management;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MetricNameFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tunnelmq.server.http.HttpCall;
import io.tunnelmq.server.http.HttpReply;
import io.tunnelmq.server.http.HttpRoute;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code GET /metrics}: the broker's figures and the JVM's in the Prometheus text format (0.0.4), which every
 * Prometheus-compatible scraper reads. Each broker has a registry of its own, so brokers embedded side by side in one
 * JVM do not mix their figures. {@code ?name[]=family} limits the answer to those families (as Prometheus' own
 * exporters allow); the HTTP server gzips it for scrapers that accept that.
 */
final class MetricsRoute implements HttpRoute {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    MetricsRoute(Management management) {
        registry.register(new PrometheusMetrics(management));
        JvmMetrics.builder().register(registry);
    }

    @Override
    public HttpReply answer(HttpCall call) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        // ?name[]=tunnelmq_queue_messages&name[]=...: only those families, as Prometheus' own exporters allow
        List<String> names = call.parameters().getOrDefault("name[]", List.of());
        try {
            writer.write(out, names.isEmpty() ? registry.scrape()
                    : registry.scrape(MetricNameFilter.builder().nameMustBeEqualTo(names).build()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return HttpReply.ok(writer.getContentType(), out.toByteArray());
    }
}
