package io.tunnelmq.server;

import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.CreateTemporary;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static io.tunnelmq.server.BrokerFixture.eventually;
import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /metrics} read by a strict Prometheus text parser and checked against known traffic. */
@Timeout(60)
class MetricsEndpointTest {
    private static final WireDestination ORDERS = WireDestination.queue("orders");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<TestClient> clients = new ArrayList<>();
    private EmbeddedBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerFixture.config().withHttpPort(BrokerFixture.freePort()));
    }

    @AfterEach
    void stop() throws Exception {
        for (TestClient client : clients) {
            client.close();
        }
        broker.close();
    }

    @Test
    void figuresFollowTheTraffic() throws Exception {
        TestClient producer = client();
        int out = producer.openSession(false);
        for (int i = 0; i < 10; i++) {
            producer.sendMessage(out, text(ORDERS, "m" + i));
        }
        TestClient consumer = client();
        int in = consumer.openSession(false);
        consumer.createConsumer(in, 1, ORDERS, 5); // five deliveries, all locked
        List<Deliver> delivered = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            delivered.add(consumer.awaitDelivery(in, 1));
        }
        for (int i = 0; i < 3; i++) {
            consumer.settle(in, SettleOutcome.COMPLETE, delivered.get(i).lockToken());
        }
        consumer.settle(in, SettleOutcome.DEAD_LETTER, delivered.get(3).lockToken());
        // the fifth stays locked

        eventually("the dead letter reaches DLQ.orders", () -> broker.queueDepth("DLQ.orders") == 1);
        PrometheusText m = scrape();
        String[] orders = {"queue", "orders", "type", "queue"};
        assertThat(m.value("tunnelmq_queue_messages", orders)).isEqualTo(6);
        assertThat(m.value("tunnelmq_queue_messages_available", orders)).isEqualTo(5);
        assertThat(m.value("tunnelmq_queue_messages_locked", orders)).isEqualTo(1);
        assertThat(m.value("tunnelmq_queue_messages_scheduled", orders)).isZero();
        assertThat(m.value("tunnelmq_queue_messages_paged", orders)).isZero();
        assertThat(m.value("tunnelmq_queue_consumers", orders)).isEqualTo(1);
        assertThat(m.value("tunnelmq_queue_enqueued_total", orders)).isEqualTo(10);
        assertThat(m.value("tunnelmq_queue_delivered_total", orders)).isEqualTo(5);
        assertThat(m.value("tunnelmq_queue_completed_total", orders)).isEqualTo(3);
        assertThat(m.value("tunnelmq_queue_dead_lettered_total", orders)).isEqualTo(1);
        assertThat(m.value("tunnelmq_queue_abandoned_total", orders)).isZero();
        assertThat(m.value("tunnelmq_queue_expired_total", orders)).isZero();
        assertThat(m.value("tunnelmq_queue_oldest_message_age_seconds", orders)).isGreaterThanOrEqualTo(0);
        assertThat(m.value("tunnelmq_queue_bytes", orders)).isPositive();
        String[] dlq = {"queue", "DLQ.orders", "type", "queue"};
        assertThat(m.value("tunnelmq_queue_messages", dlq)).isEqualTo(1);
        assertThat(m.value("tunnelmq_queue_enqueued_total", dlq)).isEqualTo(1);

        assertThat(m.value("tunnelmq_connections")).isEqualTo(2);
        assertThat(m.value("tunnelmq_sessions")).isEqualTo(2);
        assertThat(m.value("tunnelmq_memory_used_bytes")).isPositive();
        assertThat(m.value("tunnelmq_memory_limit_bytes")).isEqualTo(broker.config().memoryLimitBytes());
        assertThat(m.value("tunnelmq_revocations_total")).isZero();
        assertThat(m.value("tunnelmq_send_window_stalls_total")).isZero();
        assertThat(m.value("tunnelmq_auth_failures_total")).isZero();
        assertThat(m.value("tunnelmq_logins_overdue_total")).isZero();
        assertThat(m.value("tunnelmq_tls_reloads_total")).isZero();
        assertThat(m.value("tunnelmq_tls_reload_failures_total")).isZero();
        assertThat(m.value("tunnelmq_connection_moves_total")).isGreaterThanOrEqualTo(0);
        assertThat(m.value("tunnelmq_access_denials_total")).isZero();
        assertThat(m.type("tunnelmq_queue_enqueued_total")).isEqualTo("counter");
        assertThat(m.type("tunnelmq_queue_messages")).isEqualTo("gauge");
        assertThat(m.samples("jvm_memory_used_bytes")).isNotEmpty();

        // an abandon after the consumer's connection is gone: the locked message comes back, counted
        consumer.abort();
        eventually("the consumer's lock is given back", () -> broker.queueStats("orders").locked() == 0);
        PrometheusText after = scrape();
        assertThat(after.value("tunnelmq_queue_messages_available", orders)).isEqualTo(6);
        assertThat(after.value("tunnelmq_connections")).isEqualTo(1);
        assertThat(after.value("tunnelmq_sessions")).isEqualTo(1);
    }

    @Test
    void purgeEmptiesTheQueueAndCountsIt() throws Exception {
        TestClient producer = client();
        int out = producer.openSession(false);
        for (int i = 0; i < 4; i++) {
            producer.sendMessage(out, text(ORDERS, "m" + i));
        }
        assertThat(broker.management().purge("orders")).isEqualTo(4);
        PrometheusText m = scrape();
        assertThat(m.value("tunnelmq_queue_messages", "queue", "orders", "type", "queue")).isZero();
        assertThat(m.value("tunnelmq_queue_purged_total", "queue", "orders", "type", "queue")).isEqualTo(4);
        assertThat(broker.memoryUsed()).isZero();
    }

    @Test
    void twoThousandTemporaryQueuesAreOneSeries() throws Exception {
        TestClient owner = client();
        int out = owner.openSession(false);
        List<Long> answers = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            WireDestination temp = new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp." + i);
            long create = owner.nextRequestId();
            owner.send(new CreateTemporary(create, temp));
            long send = owner.nextRequestId();
            owner.send(new Send(out, send, text(temp, "t" + i)));
            answers.add(create);
            answers.add(send);
        }
        for (long id : answers) {
            owner.answer(id);
        }
        PrometheusText m = scrape();
        String[] temporary = {"queue", "(temporary)", "type", "temporary"};
        assertThat(m.samples("tunnelmq_queue_messages")).hasSize(1);
        assertThat(m.value("tunnelmq_queue_messages", temporary)).isEqualTo(2_000);
        assertThat(m.value("tunnelmq_queue_enqueued_total", temporary)).isEqualTo(2_000);

        owner.close();
        clients.remove(owner);
        eventually("the temporary queues go with their connection", () -> broker.connectionCount() == 0
                && unchecked(() -> scrape().value("tunnelmq_queue_messages", temporary)) == 0);
        PrometheusText after = scrape();
        // the series' total does not go down when its queues go: Prometheus would take that for a restart
        assertThat(after.value("tunnelmq_queue_enqueued_total", temporary)).isEqualTo(2_000);
        assertThat(after.value("tunnelmq_queue_purged_total", temporary)).isEqualTo(2_000);
    }

    @Test
    void unknownPathsAre404AndOnlyGetAndHeadAreAllowed() throws Exception {
        HttpResponse<String> missing = get("/nothing-here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("/metrics");

        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");

        HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri("/metrics"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();

        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    }

    @Test
    void theJournalShowsItsWritesAndFsyncs(@TempDir Path data) throws Exception {
        broker.close();
        broker = EmbeddedBroker.start(BrokerFixture.config().withJournal(data)
                .withHttpPort(BrokerFixture.freePort()));
        TestClient producer = client();
        int out = producer.openSession(false);
        for (int i = 0; i < 5; i++) {
            producer.sendMessage(out, new WireMessage(ORDERS, "p" + i, 0, null, null, null, true, 4, 0, 0, Map.of(),
                    BodyType.TEXT, "persistent".getBytes(StandardCharsets.UTF_8)));
        }
        PrometheusText m = scrape();
        assertThat(m.value("tunnelmq_journal_fsync_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(m.value("tunnelmq_journal_fsync_seconds_bucket", "le", "+Inf"))
                .isEqualTo(m.value("tunnelmq_journal_fsync_seconds_count"));
        assertThat(m.value("tunnelmq_journal_written_bytes_total")).isGreaterThan(5 * "persistent".length());
        assertThat(m.value("tunnelmq_disk_used_bytes")).isPositive();
        assertThat(m.value("tunnelmq_disk_limit_bytes")).isGreaterThan(m.value("tunnelmq_disk_used_bytes"));
    }

    @Test
    void aClosedSendWindowIsCountedAsAStall() throws Exception {
        broker.close();
        broker = EmbeddedBroker.start(BrokerFixture.config().withMemoryLimitBytes(64 * 1024)
                .withHttpPort(BrokerFixture.freePort()));
        TestClient producer = client();
        int out = producer.openSession(false);
        for (int i = 0; i < 10; i++) { // nobody consumes: 80 KB fill the 64 KB limit
            producer.sendMessage(out, Messages.withBody(ORDERS, "big" + i, 8 * 1024));
        }
        assertThat(scrape().value("tunnelmq_send_window_stalls_total")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void subscriptionsAreSeriesOfTheirTopic() throws Exception {
        WireDestination news = WireDestination.topic("news");
        TestClient subscriber = TestClient.connect(broker);
        clients.add(subscriber);
        subscriber.hello("c1", 0, Map.of());
        int in = subscriber.openSession(false);
        long durable = subscriber.nextRequestId();
        subscriber.request(new CreateConsumer(in, durable, 1, news, null, false, "audit", true, false, 0), durable);
        for (int consumer = 2; consumer <= 4; consumer++) { // three non-durable subscribers: one series
            subscriber.createConsumer(in, consumer, news, 0);
        }
        TestClient publisher = client();
        int out = publisher.openSession(false);
        publisher.sendMessage(out, text(news, "n1"));
        publisher.sendMessage(out, text(news, "n2"));

        PrometheusText m = scrape();
        assertThat(m.value("tunnelmq_queue_messages", "queue", "news:c1.audit", "type", "subscription")).isEqualTo(2);
        assertThat(m.value("tunnelmq_queue_messages", "queue", "news:(non-durable)", "type", "subscription"))
                .isEqualTo(6);
        assertThat(m.value("tunnelmq_queue_consumers", "queue", "news:(non-durable)", "type", "subscription"))
                .isEqualTo(3);
    }

    private interface Check {
        double get() throws Exception;
    }

    private static double unchecked(Check check) {
        try {
            return check.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void nameParametersSelectFamiliesAndGzipIsOffered() throws Exception {
        TestClient producer = client();
        producer.sendMessage(producer.openSession(false), text(ORDERS, "m"));
        PrometheusText only = PrometheusText.parse(get("/metrics?name[]=tunnelmq_queue_messages"
                + "&name[]=tunnelmq_queue_enqueued_total").body());
        assertThat(only.value("tunnelmq_queue_messages", "queue", "orders", "type", "queue")).isEqualTo(1);
        assertThat(only.value("tunnelmq_queue_enqueued_total", "queue", "orders", "type", "queue")).isEqualTo(1);
        assertThat(only.samples("tunnelmq_connections")).isEmpty();

        HttpResponse<byte[]> zipped = http.send(HttpRequest.newBuilder(uri("/metrics"))
                .header("Accept-Encoding", "gzip").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zipped.headers().firstValue("content-encoding")).hasValue("gzip");
        String text = new String(new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(PrometheusText.parse(text).value("tunnelmq_connections")).isEqualTo(1);
    }

    private TestClient client() throws Exception {
        TestClient client = TestClient.open(broker);
        clients.add(client);
        return client;
    }

    private PrometheusText scrape() throws Exception {
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + broker.httpPort() + path);
    }
}
