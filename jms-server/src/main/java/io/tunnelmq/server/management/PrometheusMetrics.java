package io.tunnelmq.server.management;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tunnelmq.server.queue.QueueFigures;
import io.tunnelmq.server.queue.QueueTotals;
import io.tunnelmq.server.session.BrokerCounters;
import io.tunnelmq.server.store.SharedQueues;
import io.tunnelmq.server.store.StoreFigures;
import io.tunnelmq.server.store.journal.SyncTimes;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The broker's figures as Prometheus metrics, gathered when Prometheus scrapes (a {@link MultiCollector}): nothing is
 * counted twice and no meter is registered per queue, so thousands of queues cost one visit each per scrape and
 * nothing between scrapes. Per queue or subscription, labelled {@code queue} and {@code type} (see
 * {@link QueueSeries} for the names and the shared series of temporary queues); per broker, unlabelled.
 */
final class PrometheusMetrics implements MultiCollector {
    private final Management management;

    PrometheusMetrics(Management management) {
        this.management = Objects.requireNonNull(management, "management");
    }

    @Override
    public MetricSnapshots collect() {
        Map<QueueSeries.Key, QueueFigures> series = management.queueSeries();
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        queueGauges(out, series);
        queueCounters(out, series);
        brokerMetrics(out, series);
        return out.build();
    }

    private static void queueGauges(MetricSnapshots.Builder out, Map<QueueSeries.Key, QueueFigures> series) {
        out.metricSnapshot(queueGauge(series, "tunnelmq_queue_messages",
                "Messages the queue holds: available + locked + scheduled", f -> f.stats().depth()));
        out.metricSnapshot(queueGauge(series, "tunnelmq_queue_messages_available",
                "Messages waiting for a consumer", f -> f.stats().available()));
        out.metricSnapshot(queueGauge(series, "tunnelmq_queue_messages_locked",
                "Messages delivered and locked to a consumer, not settled yet", f -> f.stats().locked()));
        out.metricSnapshot(queueGauge(series, "tunnelmq_queue_messages_scheduled",
                "Messages waiting for their delivery time or redelivery delay", f -> f.stats().scheduled()));
        out.metricSnapshot(queueGauge(series, "tunnelmq_queue_messages_paged",
                "Messages paged out of memory: their bodies are on disk only", f -> f.stats().pagedOut()));
        out.metricSnapshot(queueGauge(series, "tunnelmq_queue_bytes",
                "Estimated bytes of the messages the queue holds", f -> f.stats().bytes()));
        out.metricSnapshot(queueGauge(series, "tunnelmq_queue_consumers",
                "Consumers attached", f -> f.stats().consumers()));
        out.metricSnapshot(queueGauge(series, "tunnelmq_queue_oldest_message_age_seconds",
                "How long the oldest available message has waited on the queue; 0 when none waits",
                f -> f.oldestAvailableMillis() / 1000.0));
    }

    private static void queueCounters(MetricSnapshots.Builder out, Map<QueueSeries.Key, QueueFigures> series) {
        out.metricSnapshot(queueCounter(series, "tunnelmq_queue_enqueued",
                "Messages put on the queue (sent, moved there, or recovered at start)", QueueTotals::enqueued));
        out.metricSnapshot(queueCounter(series, "tunnelmq_queue_delivered",
                "Deliveries to consumers, redeliveries included", QueueTotals::delivered));
        out.metricSnapshot(queueCounter(series, "tunnelmq_queue_completed",
                "Messages consumed for good (lock completed)", QueueTotals::completed));
        out.metricSnapshot(queueCounter(series, "tunnelmq_queue_abandoned",
                "Deliveries that failed: abandoned, or a lock lost after the application saw the message",
                QueueTotals::abandoned));
        out.metricSnapshot(queueCounter(series, "tunnelmq_queue_lock_expired",
                "Locks that ran out before they were settled", QueueTotals::lockExpired));
        out.metricSnapshot(queueCounter(series, "tunnelmq_queue_expired",
                "Messages whose JMSExpiration passed before delivery", QueueTotals::expired));
        out.metricSnapshot(queueCounter(series, "tunnelmq_queue_dead_lettered",
                "Messages moved to the dead-letter queue", QueueTotals::deadLettered));
        out.metricSnapshot(queueCounter(series, "tunnelmq_queue_revoked",
                "Prefetched deliveries revoked for a starving consumer", QueueTotals::revoked));
        out.metricSnapshot(queueCounter(series, "tunnelmq_queue_purged",
                "Waiting messages removed by a purge or with the queue", QueueTotals::purged));
    }

    private void brokerMetrics(MetricSnapshots.Builder out, Map<QueueSeries.Key, QueueFigures> series) {
        BrokerCounters counters = management.counters();
        out.metricSnapshot(gauge("tunnelmq_connections", "Client connections open", management.connections()));
        out.metricSnapshot(gauge("tunnelmq_sessions", "Sessions open", management.sessions()));
        out.metricSnapshot(gauge("tunnelmq_memory_used_bytes", "Bytes of messages held in memory",
                management.memoryUsed()));
        out.metricSnapshot(gauge("tunnelmq_memory_limit_bytes",
                "Memory limit: producers' send windows close when the used bytes reach it", management.memoryLimit()));
        out.metricSnapshot(counter("tunnelmq_send_window_stalls",
                "Times a connection's send window closed for lack of memory", counters.sendWindowStalls()));
        long revoked = 0;
        for (QueueFigures f : series.values()) {
            revoked += f.totals().revoked();
        }
        out.metricSnapshot(counter("tunnelmq_revocations",
                "Prefetched deliveries revoked for starving consumers, all queues", revoked));
        out.metricSnapshot(counter("tunnelmq_connection_moves",
                "Connections moved to another event loop: joining the loop of the one they talk to, or leaving it",
                counters.connectionMoves()));
        out.metricSnapshot(counter("tunnelmq_tls_handshakes", "TLS handshakes completed", counters.tlsHandshakes()));
        out.metricSnapshot(counter("tunnelmq_tls_handshake_failures", "TLS handshakes that failed",
                counters.tlsHandshakeFailures()));
        out.metricSnapshot(counter("tunnelmq_tls_reloads", "Times the TLS port's key store, trust store or"
                + " certificate users file changed and was taken into use", counters.tlsReloads()));
        out.metricSnapshot(counter("tunnelmq_tls_reload_failures", "Times the TLS port's files changed but could not"
                + " be used (the TLS in force stayed)", counters.tlsReloadFailures()));
        if (counters.tlsCertificateExpiry() > 0) {
            out.metricSnapshot(gauge("tunnelmq_tls_certificate_expiry_timestamp_seconds", "When the certificate the"
                    + " TLS port serves expires, in seconds since the epoch", counters.tlsCertificateExpiry()));
        }
        out.metricSnapshot(gauge("tunnelmq_problems", "Things an operator must fix while the broker runs on (a users,"
                + " permissions or TLS file changed but refused, a certificate near its end): the web console and the"
                + " broker bean's Problems list them", management.problems().now().size()));
        out.metricSnapshot(counter("tunnelmq_auth_failures", "Connections refused for their credentials",
                counters.authFailures()));
        out.metricSnapshot(counter("tunnelmq_logins_overdue", "Logins not checked because their turn on the login"
                + " threads came after the login deadline (handshakeTimeout): too many logins at once",
                counters.loginsOverdue()));
        out.metricSnapshot(counter("tunnelmq_access_denials", "Operations refused for want of a permission",
                counters.accessDenials()));
        management.clusterBacklog().ifPresent(backlog -> clusterMetrics(out, backlog.brokers(),
                management.storedSeries(backlog)));
        StoreFigures store = management.storeFigures();
        if (store.persistent()) {
            out.metricSnapshot(gauge("tunnelmq_disk_used_bytes", "Bytes the journal's segment files hold",
                    store.diskBytes()));
            out.metricSnapshot(gauge("tunnelmq_disk_free_bytes", "Free space of the data directory's file system",
                    store.diskFree()));
            out.metricSnapshot(gauge("tunnelmq_disk_messages_bytes", "Bytes of the messages kept on disk (stored or"
                    + " paged out): what the disk limit counts", management.messagesOnDisk()));
            out.metricSnapshot(gauge("tunnelmq_disk_limit_bytes", "The disk limit (maxDiskBytes): producers wait"
                    + " once the messages kept on disk reach it", management.diskLimit()));
            out.metricSnapshot(counter("tunnelmq_journal_written_bytes", "Bytes written to the journal",
                    store.bytesWritten()));
            out.metricSnapshot(fsyncHistogram(store.fsyncs()));
        }
    }

    /** Over a shared store: what the database holds (each broker's queue figures count what it claimed). */
    private static void clusterMetrics(MetricSnapshots.Builder out, int brokers,
                                       Map<QueueSeries.Key, SharedQueues.QueueBacklog> stored) {
        out.metricSnapshot(gauge("tunnelmq_cluster_brokers", "Brokers alive over the shared database", brokers));
        GaugeSnapshot.Builder messages = GaugeSnapshot.builder().name("tunnelmq_cluster_queue_messages")
                .help("Messages of the queue or subscription in the shared database, claimed by a broker or not (counted at most every 5 s, when metrics are read)");
        GaugeSnapshot.Builder claimed = GaugeSnapshot.builder().name("tunnelmq_cluster_queue_messages_claimed")
                .help("Messages of the queue or subscription that brokers hold for their consumers (counted at most every 5 s, when metrics are read)");
        stored.forEach((key, b) -> {
            messages.dataPoint(GaugeDataPointSnapshot.builder().labels(labels(key)).value(b.messages()).build());
            claimed.dataPoint(GaugeDataPointSnapshot.builder().labels(labels(key)).value(b.claimed()).build());
        });
        out.metricSnapshot(messages.build());
        out.metricSnapshot(claimed.build());
    }

    private static HistogramSnapshot fsyncHistogram(SyncTimes.Snapshot fsyncs) {
        double[] bounds = Arrays.copyOf(fsyncs.upperBounds(), fsyncs.upperBounds().length + 1);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        return HistogramSnapshot.builder()
                .name("tunnelmq_journal_fsync_seconds")
                .help("How long the journal's group-commit fsyncs took")
                .dataPoint(HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, fsyncs.counts()))
                        .sum(fsyncs.sumSeconds())
                        .build())
                .build();
    }

    private static GaugeSnapshot queueGauge(Map<QueueSeries.Key, QueueFigures> series, String name, String help,
                                            ToDoubleFunction<QueueFigures> value) {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
        series.forEach((key, figures) -> gauge.dataPoint(GaugeDataPointSnapshot.builder()
                .labels(labels(key)).value(value.applyAsDouble(figures)).build()));
        return gauge.build();
    }

    private static CounterSnapshot queueCounter(Map<QueueSeries.Key, QueueFigures> series, String name, String help,
                                                ToDoubleFunction<QueueTotals> value) {
        CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(help);
        series.forEach((key, figures) -> counter.dataPoint(CounterDataPointSnapshot.builder()
                .labels(labels(key)).value(value.applyAsDouble(figures.totals())).build()));
        return counter.build();
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static CounterSnapshot counter(String name, String help, double value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static Labels labels(QueueSeries.Key key) {
        return Labels.of("queue", key.queue(), "type", key.type().label);
    }
}
