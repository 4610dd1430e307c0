package io.tunnelmq.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Helpers shared by the broker integration tests. */
public final class BrokerFixture {
    private BrokerFixture() {
    }

    /** A broker on a free port of 127.0.0.1. */
    static BrokerConfig config() {
        return BrokerConfig.defaults().withPort(0);
    }

    /** A port free on 127.0.0.1 now, for a setting where 0 does not mean "any" (the HTTP port: 0 = off). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Polls until the condition holds; fails after the deadline. */
    public static void eventually(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + timeout + ": " + what);
            }
            Thread.sleep(5);
        }
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        eventually(what, TestClient.WAIT, condition);
    }
}
