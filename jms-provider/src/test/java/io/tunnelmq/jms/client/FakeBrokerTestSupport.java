package io.tunnelmq.jms.client;

import io.tunnelmq.jms.ConnectionOptions;
import io.tunnelmq.jms.EngineFactories;
import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.client.fake.FakeBroker;

import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.fail;

/** A fresh fake broker per test, factories bound to it, and connections closed after the test. */
abstract class FakeBrokerTestSupport {
    protected FakeBroker broker;
    protected TunnelConnectionFactory factory;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void startBroker() {
        broker = new FakeBroker();
        factory = factory("tmq://localhost:9494");
    }

    @AfterEach
    void stopBroker() {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception e) {
                // the test may have closed or broken it already
            }
        }
        broker.close();
    }

    /**
     * A factory over the fake broker. These tests are about the facade, and the fake broker speaks the broker's lock
     * tokens, so connections do not reconnect (the failover layer would renumber the tokens) unless the URL says
     * {@code reconnect} itself; the failover layer has its own tests ({@code io.tunnelmq.jms.failover}).
     */
    protected TunnelConnectionFactory factory(String url) {
        String plain = url.contains("reconnect") ? url : url + (url.contains("?") ? "&" : "?") + "reconnect=false";
        return EngineFactories.connectionFactory(ConnectionOptions.parse(plain), broker.factory());
    }

    protected Connection connect() throws JMSException {
        return track(factory.createConnection());
    }

    protected Connection connect(String url) throws JMSException {
        return track(factory(url).createConnection());
    }

    protected <T extends AutoCloseable> T track(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    /** Sends text messages with a producer of its own. */
    protected static void sendTexts(Session session, Destination destination, String... texts) throws JMSException {
        try (MessageProducer p = session.createProducer(destination)) {
            for (String t : texts) {
                p.send(session.createTextMessage(t));
            }
        }
    }

    /** A call that may throw, run on its own thread by {@link #whileBlocked}. */
    @FunctionalInterface
    protected interface BlockingCall<T> {
        T call() throws Exception;
    }

    /**
     * Runs a call on a new thread and returns once that thread is blocked waiting (so the test can act while the
     * call is in progress); the future completes with the call's result.
     */
    protected <T> CompletableFuture<T> whileBlocked(BlockingCall<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "blocking-call");
        t.setDaemon(true);
        t.start();
        eventually("the call blocks", () -> result.isDone() || t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING);
        return result;
    }

    /** Polls a condition until it holds, failing after a deadline; each poll waits for the broker's loop. */
    protected void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            broker.sync();
            Thread.yield();
        }
    }
}
