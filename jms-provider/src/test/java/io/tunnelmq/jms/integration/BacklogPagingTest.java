package io.tunnelmq.jms.integration;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.server.BrokerConfig;
import io.tunnelmq.server.EmbeddedBroker;
import io.tunnelmq.server.PagingSettings;
import io.tunnelmq.server.queue.QueueStats;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backlog larger than the broker's memory limit: with default settings (paging on with the journal) producers
 * are not held back by memory; the messages past the limit wait on disk (persistent ones in the journal, the others
 * in the page file) and come back in order, after a restart too; only the disk limit stops producers, with an error
 * that says so.
 */
@Timeout(120)
class BacklogPagingTest {
    private static final long MEMORY_LIMIT = 64L << 20;
    private static final int BODY = 8 * 1024;
    private static final int RECEIVE_WAIT = 10_000;

    @TempDir
    Path data;

    private EmbeddedBroker broker;

    private EmbeddedBroker start(BrokerConfig config) {
        broker = EmbeddedBroker.start(config.withPort(0).withJournal(data));
        return broker;
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void twentyThousandPersistentMessagesPastA64MiBLimitArePagedAndComeBackInOrder() throws Exception {
        start(BrokerConfig.defaults().withMemoryLimitBytes(MEMORY_LIMIT));
        sendBacklog("persistent", DeliveryMode.PERSISTENT, 20_000);
        QueueStats stats = broker.queueStats("persistent");
        assertThat(stats.available()).isEqualTo(20_000);
        assertThat(stats.pagedOut()).as("most of the backlog waits on disk").isGreaterThan(10_000);
        assertThat(broker.memoryUsed()).isLessThan(MEMORY_LIMIT);
        receiveInOrder("persistent", 20_000);
        assertThat(broker.memoryUsed()).isZero();
    }

    @Test
    void twentyThousandNonPersistentMessagesGoToThePageFileAndComeBackInOrder() throws Exception {
        start(BrokerConfig.defaults().withMemoryLimitBytes(MEMORY_LIMIT));
        sendBacklog("np", DeliveryMode.NON_PERSISTENT, 20_000);
        QueueStats stats = broker.queueStats("np");
        assertThat(stats.available()).isEqualTo(20_000);
        assertThat(stats.pagedOut()).isGreaterThan(10_000);
        try (var files = Files.list(data.resolve("pages"))) {
            assertThat(files.count()).as("page file segments").isPositive();
        }
        receiveInOrder("np", 20_000);
        assertThat(broker.memoryUsed()).isZero();
    }

    @Test
    void aPagedBacklogComesBackAfterARestartStillPaged() throws Exception {
        start(BrokerConfig.defaults().withMemoryLimitBytes(16L << 20));
        sendBacklog("restart", DeliveryMode.PERSISTENT, 5_000);
        broker.close();
        start(BrokerConfig.defaults().withMemoryLimitBytes(16L << 20));
        QueueStats stats = broker.queueStats("restart");
        assertThat(stats.available()).isEqualTo(5_000);
        assertThat(stats.pagedOut()).as("recovery pages out what does not fit").isGreaterThan(2_500);
        receiveInOrder("restart", 5_000);
    }

    @Test
    void atTheDiskLimitSendsWaitAndFailSayingTheDiskIsFull() throws Exception {
        start(BrokerConfig.defaults().withPaging(new PagingSettings(true, 1L << 20)));
        Connection c = new TunnelConnectionFactory(broker.url() + "?sendTimeout=500").createConnection();
        try (c) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("full"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            int sent = 0;
            for (; sent < 1_000; sent++) {
                try {
                    p.send(message(s, sent));
                } catch (ResourceAllocationException full) {
                    assertThat(full.getMessage()).contains("disk limit").contains("maxDiskBytes");
                    break;
                }
            }
            assertThat(sent).as("sends stop near 1 MiB of 8 KiB messages").isBetween(64, 1_000 - 1);
            long depth = broker.queueDepth("full");
            assertThat(depth).as("every send that returned is kept").isEqualTo(sent);
            MessageConsumer consumer = s.createConsumer(s.createQueue("full"));
            c.start();
            for (int i = 0; i < sent; i++) {
                assertThat(consumer.receive(RECEIVE_WAIT)).isNotNull();
            }
            consumer.close();
            p.send(message(s, sent)); // room again once consumers took messages
        }
    }

    private void sendBacklog(String queue, int deliveryMode, int count) throws JMSException {
        try (Connection c = new TunnelConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.setDeliveryMode(deliveryMode);
            for (int i = 0; i < count; i++) {
                p.send(message(s, i));
            }
        }
    }

    private static BytesMessage message(Session s, int seq) throws JMSException {
        BytesMessage m = s.createBytesMessage();
        m.writeBytes(new byte[BODY]);
        m.setIntProperty("seq", seq);
        return m;
    }

    private void receiveInOrder(String queueName, int count) throws JMSException {
        try (Connection c = new TunnelConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = s.createQueue(queueName);
            MessageConsumer consumer = s.createConsumer(queue);
            c.start();
            for (int i = 0; i < count; i++) {
                BytesMessage m = (BytesMessage) consumer.receive(RECEIVE_WAIT);
                assertThat(m).as("message %d of %d", i, count).isNotNull();
                assertThat(m.getIntProperty("seq")).isEqualTo(i);
                assertThat(m.getBodyLength()).isEqualTo(BODY);
            }
            assertThat(consumer.receiveNoWait()).isNull();
        }
    }
}
