package io.tunnelmq.protocol.codec;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Netty's leak detector at PARANOID (every buffer tracked) with a listener that remembers each leak, so a fuzz test
 * fails on a leaked buffer instead of only logging it. Leaks surface when a collected buffer was never released, so
 * {@link #assertNoLeaks} collects garbage first.
 */
final class LeakWatch {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static volatile boolean started;

    private LeakWatch() {
    }

    static synchronized void start() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        if (started) {
            return;
        }
        try {
            // the detector every ByteBuf shares; it takes a listener but offers no public getter
            Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
            field.setAccessible(true);
            ((ResourceLeakDetector<?>) field.get(null)).setLeakListener((type, records) -> LEAKS.add(type + records));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot watch Netty's leak detector", e);
        }
        started = true;
    }

    static void assertNoLeaks() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            // the detector reports collected, unreleased buffers when the next buffer is tracked
            ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(1);
            probe.release();
        }
        assertThat(LEAKS).as("leaked buffers").isEmpty();
    }
}
