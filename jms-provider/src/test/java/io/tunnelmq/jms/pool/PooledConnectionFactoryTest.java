package io.tunnelmq.jms.pool;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tunnelmq.jms.Eventually.eventually;
import static io.tunnelmq.jms.pool.PoolFixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pool's limits and life cycle against a real broker: sharing, exhaustion, eviction, failure, close. */
class PooledConnectionFactoryTest {
    private final PoolFixture fixture = new PoolFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    @Timeout(60)
    void manyThreadsBorrowSendAndReceiveWithoutLosingAMessage() throws Exception {
        PooledConnectionFactory pool = fixture.pool(p -> {
            p.setMaxConnections(4);
            p.setMaxSessionsPerConnection(4);
        });
        int senders = 6;
        int perSender = 50;
        Set<String> received = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(senders + 2);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < senders; t++) {
                int sender = t;
                work.add(threads.submit(() -> {
                    for (int i = 0; i < perSender; i++) {
                        // JmsTemplate style: borrow, send one, give back
                        try (Connection c = pool.createConnection()) {
                            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                            s.createProducer(s.createQueue("load")).send(s.createTextMessage(sender + "-" + i));
                        }
                    }
                    return null;
                }));
            }
            for (int r = 0; r < 2; r++) {
                work.add(threads.submit(() -> {
                    while (received.size() < senders * perSender) {
                        try (Connection c = pool.createConnection()) {
                            c.start();
                            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                            MessageConsumer consumer = s.createConsumer(s.createQueue("load"));
                            for (int i = 0; i < 10; i++) {
                                String body = text(consumer.receive(100));
                                if (body != null && !received.add(body)) {
                                    duplicates.incrementAndGet();
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(received).hasSize(senders * perSender);
        assertThat(duplicates).hasValue(0);
        assertThat(fixture.broker.queueDepth("load")).isZero();
        assertThat(pool.getNumActiveConnections() + pool.getNumIdleConnections()).isLessThanOrEqualTo(4);
    }

    @Test
    @Timeout(30)
    void anExhaustedPoolMakesTheBorrowerWaitForAReturnedConnection() throws Exception {
        PooledConnectionFactory pool = fixture.pool(p -> {
            p.setMaxConnections(1);
            p.setMaxWaitMillis(10_000);
        });
        Connection first = pool.createConnection();
        CompletableFuture<Connection> second = CompletableFuture.supplyAsync(() -> {
            try {
                return pool.createConnection();
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        eventually("the second borrower waits", Duration.ofSeconds(5),
                () -> pool.getNumActiveConnections() == 1 && !second.isDone());
        first.close();
        try (Connection c = second.get(10, TimeUnit.SECONDS)) {
            assertThat(c.createSession()).isNotNull();
        }
        assertThat(fixture.broker.connectionCount()).isEqualTo(1);
    }

    @Test
    @Timeout(30)
    void anExhaustedPoolFailsAfterMaxWaitNamingTheLimit() throws Exception {
        PooledConnectionFactory pool = fixture.pool(p -> {
            p.setMaxConnections(2);
            p.setMaxWaitMillis(300);
        });
        Connection a = pool.createConnection();
        Connection b = pool.createConnection();
        long start = System.nanoTime();
        assertThatThrownBy(pool::createConnection)
                .isInstanceOf(JMSException.class)
                .hasMessageContaining("maxConnections=2")
                .hasMessageContaining("maxWait=300");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(250);
        a.close();
        b.close();
    }

    @Test
    @Timeout(30)
    void failFastModeFailsAtOnceForConnectionsAndSessions() throws Exception {
        PooledConnectionFactory pool = fixture.pool(p -> {
            p.setMaxConnections(1);
            p.setMaxSessionsPerConnection(2);
            p.setBlockIfExhausted(false);
            p.setMaxWaitMillis(20_000);
        });
        Connection c = pool.createConnection();
        long start = System.nanoTime();
        assertThatThrownBy(pool::createConnection)
                .isInstanceOf(JMSException.class)
                .hasMessageContaining("maxConnections=1")
                .hasMessageContaining("blockIfExhausted=false");
        c.createSession();
        c.createSession(Session.CLIENT_ACKNOWLEDGE);
        assertThatThrownBy(() -> c.createSession(Session.SESSION_TRANSACTED))
                .isInstanceOf(JMSException.class)
                .hasMessageContaining("maxSessionsPerConnection=2");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
        c.close();
    }

    @Test
    @Timeout(30)
    void idleConnectionsAreEvicted() throws Exception {
        PooledConnectionFactory pool = fixture.pool(p -> {
            p.setTimeBetweenEvictionRunsMillis(50);
            p.setMinIdleTimeMillis(200);
        });
        Connection a = pool.createConnection();
        Connection b = pool.createConnection();
        a.close();
        b.close();
        assertThat(pool.getNumIdleConnections()).isEqualTo(2);
        assertThat(fixture.broker.connectionCount()).isEqualTo(2);
        eventually("idle connections are closed", Duration.ofSeconds(10),
                () -> pool.getNumIdleConnections() == 0 && fixture.broker.connectionCount() == 0);
        try (Connection c = pool.createConnection()) {
            c.createSession().createProducer(null);
        }
    }

    @Test
    @Timeout(30)
    void aConnectionThatFailedIsReplacedAndItsBorrowerHearsOfIt() throws Exception {
        // reconnect=false: a connection that fails rather than reconnecting is what the pool must replace
        PooledConnectionFactory pool = fixture.pool("reconnect=false", p -> p.setMaxConnections(1));
        CompletableFuture<JMSException> heard = new CompletableFuture<>();
        Connection broken = pool.createConnection();
        broken.setExceptionListener(heard::complete);
        fixture.broker.dropConnections();
        assertThat(heard.get(10, TimeUnit.SECONDS)).isNotNull();
        broken.close();

        fixture.send("after-failure", "m1");
        try (Connection c = pool.createConnection()) {
            c.start();
            Session s = c.createSession();
            assertThat(text(s.createConsumer(s.createQueue("after-failure")).receive(5_000))).isEqualTo("m1");
        }
    }

    @Test
    @Timeout(30)
    void anIdleConnectionThatFailedIsNeverLentAgain() throws Exception {
        PooledConnectionFactory pool = fixture.pool("reconnect=false", p -> p.setMaxConnections(1));
        pool.createConnection().close();
        assertThat(pool.getNumIdleConnections()).isEqualTo(1);
        fixture.broker.dropConnections();
        eventually("the broker saw the drop", Duration.ofSeconds(5), () -> fixture.broker.connectionCount() == 0);

        fixture.send("idle-failure", "m1");
        // the ExceptionListener may fire a moment after the socket closed: keep borrowing until a working one comes
        eventually("a borrowed connection works", Duration.ofSeconds(10), () -> {
            try (Connection c = pool.createConnection()) {
                c.start();
                Session s = c.createSession();
                return "m1".equals(text(s.createConsumer(s.createQueue("idle-failure")).receive(1_000)));
            } catch (JMSException e) {
                return false;
            }
        });
    }

    @Test
    @Timeout(30)
    void setClientIdRightAfterCreationGivesAConnectionOfItsOwn() throws Exception {
        PooledConnectionFactory pool = fixture.pool(p -> p.setMaxConnections(1));
        pool.createConnection().close(); // an idle pooled connection that was used before
        Connection c = pool.createConnection();
        c.setClientID("orders-app");
        assertThat(c.getClientID()).isEqualTo("orders-app");
        c.createSession();
        assertThatThrownBy(() -> c.setClientID("again")).isInstanceOf(jakarta.jms.IllegalStateException.class);
        c.close();
        try (Connection next = pool.createConnection()) {
            assertThat(next.getClientID()).isNull();
            next.createSession();
            assertThatThrownBy(() -> next.setClientID("late"))
                    .isInstanceOf(jakarta.jms.IllegalStateException.class)
                    .hasMessageContaining("right after the connection is created");
        }
    }

    @Test
    @Timeout(30)
    void closingTheFactoryClosesLentAndIdleConnections() throws Exception {
        PooledConnectionFactory pool = fixture.pool(p -> {
        });
        Connection idle = pool.createConnection();
        Connection lent = pool.createConnection();
        idle.close();
        Session session = lent.createSession();
        Queue queue = session.createQueue("q");
        assertThat(pool.getNumIdleConnections()).isEqualTo(1);
        assertThat(fixture.broker.connectionCount()).isEqualTo(2);
        pool.close();
        eventually("every connection is closed", Duration.ofSeconds(10),
                () -> fixture.broker.connectionCount() == 0);
        assertThatThrownBy(() -> session.createProducer(queue).send(session.createTextMessage("x")))
                .isInstanceOf(JMSException.class);
        assertThatThrownBy(pool::createConnection).isInstanceOf(jakarta.jms.IllegalStateException.class);
        lent.close(); // after the factory closed: harmless
    }

    @Test
    @Timeout(10)
    void settingsAreFixedOnceTheFactoryIsInUse() throws Exception {
        PooledConnectionFactory pool = fixture.pool(p -> {
        });
        pool.createConnection().close();
        assertThatThrownBy(() -> pool.setMaxConnections(3)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new PooledConnectionFactory(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    @Timeout(10)
    void aClosedConnectionGoesBackAndIsLentAgain() throws Exception {
        PooledConnectionFactory pool = fixture.pool(p -> {
        });
        for (int i = 0; i < 5; i++) {
            try (Connection c = pool.createConnection()) {
                c.createSession().createProducer(c.createSession().createQueue("reuse"))
                        .send(c.createSession().createTextMessage("m" + i));
                assertThat(pool.getNumActiveConnections()).isEqualTo(1);
            }
        }
        assertThat(fixture.broker.connectionCount()).isEqualTo(1);
        assertThat(pool.getNumIdleConnections()).isEqualTo(1);
        assertThat(fixture.broker.queueDepth("reuse")).isEqualTo(5);
    }
}
