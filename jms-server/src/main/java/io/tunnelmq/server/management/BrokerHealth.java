package io.tunnelmq.server.management;

import io.tunnelmq.server.http.HttpReply;
import io.tunnelmq.server.http.HttpRoutes;
import io.tunnelmq.server.store.MessageStore;

import java.nio.charset.StandardCharsets;

/**
 * The broker's health for a load balancer or Kubernetes probes, on the HTTP port without a login:
 * {@code GET /health/live} answers 200 while the broker's process answers at all; {@code GET /health/ready} answers
 * 200 once the broker accepts clients and while its message store takes writes, and 503 otherwise with the reason
 * on one line (starting: recovering its store; the store's writes fail; fenced from the other brokers; stopping).
 * A broker that is not ready still serves what it can: the probe only tells where new clients should go. The answers
 * name nothing (no queue, path or user). Thread-safe.
 */
public final class BrokerHealth {
    private static final String TEXT = "text/plain; charset=utf-8";

    /** Why the broker is not ready apart from its store, or null once started. */
    private volatile String state = "starting: the broker is recovering its message store";
    private volatile MessageStore store;

    private BrokerHealth() {
    }

    /** Serves {@code /health/live} and {@code /health/ready} on {@code routes}, not ready until {@link #started}. */
    public static BrokerHealth serve(HttpRoutes routes) {
        BrokerHealth health = new BrokerHealth();
        routes.add("/health/live", call -> answer(200, "live"));
        routes.add("/health/ready", call -> health.ready());
        return health;
    }

    /** The store whose writes readiness follows. */
    public void follow(MessageStore messageStore) {
        store = messageStore;
    }

    /** The broker accepts clients. */
    public void started() {
        state = null;
    }

    /** The broker is stopping: new clients belong elsewhere. */
    public void stopping() {
        state = "stopping";
    }

    /** Why the broker is not ready, or null when it is. */
    public String notReady() {
        String now = state;
        if (now != null) {
            return now;
        }
        MessageStore followed = store;
        return followed == null ? null : followed.problem();
    }

    private HttpReply ready() {
        String why = notReady();
        return why == null ? answer(200, "ready") : answer(503, "not ready: " + why);
    }

    private static HttpReply answer(int status, String text) {
        return new HttpReply(status, TEXT, (text + "\n").getBytes(StandardCharsets.UTF_8))
                .withHeader("Cache-Control", "no-store");
    }
}
