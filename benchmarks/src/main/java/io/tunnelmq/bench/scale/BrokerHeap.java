package io.tunnelmq.bench.scale;

import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;

/**
 * The heap of a broker JVM, read from outside over JMX: this JVM attaches to the broker's process, starts its local
 * management agent and talks to its platform MBeans. The same way for both brokers, and neither needs a JMX port of
 * its own nor any code of ours inside it.
 */
final class BrokerHeap implements AutoCloseable {
    /** Full collections until two readings in a row agree within this fraction (a finaliser or a late free). */
    private static final double STABLE = 0.01;
    private static final int MAX_COLLECTIONS = 6;

    private final JMXConnector connector;
    private final MemoryMXBean memory;
    private final ThreadMXBean threads;

    private BrokerHeap(JMXConnector connector, MemoryMXBean memory, ThreadMXBean threads) {
        this.connector = connector;
        this.memory = memory;
        this.threads = threads;
    }

    /** Attaches to the JVM with process id {@code pid} (same user, same JDK family). */
    static BrokerHeap attach(long pid) throws IOException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (com.sun.tools.attach.AttachNotSupportedException e) {
            throw new IllegalStateException("cannot attach to the broker JVM " + pid + " to read its heap: "
                    + e.getMessage(), e);
        }
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        MBeanServerConnection mbeans = connector.getMBeanServerConnection();
        return new BrokerHeap(connector,
                ManagementFactory.newPlatformMXBeanProxy(mbeans, ManagementFactory.MEMORY_MXBEAN_NAME,
                        MemoryMXBean.class),
                ManagementFactory.newPlatformMXBeanProxy(mbeans, ManagementFactory.THREAD_MXBEAN_NAME,
                        ThreadMXBean.class));
    }

    /**
     * The broker's used heap in bytes right after a full collection ({@code System.gc()} in the broker, which is
     * a full, compacting collection with G1): what it keeps alive, not what it happens to have allocated.
     */
    long liveBytes() {
        long previous = collectAndRead();
        for (int i = 1; i < MAX_COLLECTIONS; i++) {
            long now = collectAndRead();
            if (Math.abs(now - previous) <= STABLE * Math.max(now, previous)) {
                return Math.min(now, previous);
            }
            previous = now;
        }
        return previous;
    }

    /** The broker's live threads: a broker with a thread per connection shows here. */
    int threadCount() {
        return threads.getThreadCount();
    }

    private long collectAndRead() {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
