package io.tunnelmq.bench.compare;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * GETs a broker's Prometheus text at a fixed interval for as long as it runs, as a monitoring system would, and
 * counts what that took. It runs in the comparison's JVM, which only waits while a run goes on, so the broker's cost
 * of serving the scrapes is what the scraped run measures. A scrape that is not a 200 with TunnelMQ's metrics in it
 * counts as failed.
 */
final class MetricsScraper implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI uri;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "metrics-scraper");
        t.setDaemon(true);
        return t;
    });
    private final Duration every;
    // written by the timer thread, read by summary(): both hold this scraper's lock
    private int scrapes;
    private int failures;
    private long bytes;
    private long totalNanos;
    private long maxNanos;
    private String lastFailure;

    private MetricsScraper(URI uri, Duration every) {
        this.uri = uri;
        this.every = every;
    }

    /** Starts scraping {@code uri} now and then every {@code every}. */
    static MetricsScraper start(URI uri, Duration every) {
        MetricsScraper scraper = new MetricsScraper(uri, every);
        scraper.timer.scheduleAtFixedRate(scraper::scrape, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return scraper;
    }

    private void scrape() {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            boolean good = response.statusCode() == 200 && response.body().contains("tunnelmq_");
            record(System.nanoTime() - t0, good ? response.body().length() : -1,
                    good ? null : "HTTP " + response.statusCode());
        } catch (IOException e) {
            record(System.nanoTime() - t0, -1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One scrape: {@code length} of a good body, or -1 and why it failed. */
    private synchronized void record(long nanos, int length, String failure) {
        scrapes++;
        if (length < 0) {
            failures++;
            lastFailure = failure;
            return;
        }
        bytes += length;
        totalNanos += nanos;
        maxNanos = Math.max(maxNanos, nanos);
    }

    /** Stops scraping (a scrape under way finishes first) and says what the scrapes took. */
    Summary stop() throws InterruptedException {
        timer.shutdown();
        if (!timer.awaitTermination(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS)) {
            timer.shutdownNow();
        }
        return summary();
    }

    /** What the scrapes took so far. */
    synchronized Summary summary() {
        int good = scrapes - failures;
        return new Summary(uri, every, scrapes, failures, good == 0 ? 0 : bytes / good,
                good == 0 ? 0 : totalNanos / 1e6 / good, maxNanos / 1e6, lastFailure);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /**
     * What a scraper did.
     *
     * @param meanBytes   size of a successful scrape's body
     * @param meanMillis  time of a successful scrape, request to whole body
     * @param lastFailure why the last failed scrape failed, null when none did
     */
    record Summary(URI uri, Duration every, int scrapes, int failures, long meanBytes, double meanMillis,
                   double maxMillis, String lastFailure) {

        String describe() {
            return String.format(Locale.ROOT, "scraper: %d GETs of %s every %d ms, %d failed%s; %,d bytes, %.1f ms "
                            + "mean, %.1f ms max", scrapes, uri.getPath(), every.toMillis(), failures,
                    lastFailure == null ? "" : " (last: " + lastFailure + ")", meanBytes, meanMillis, maxMillis);
        }
    }
}
