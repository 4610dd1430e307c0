package io.tunnelmq.server.management;

import io.tunnelmq.server.queue.PeekLockQueue;

import java.util.ArrayList;
import java.util.List;

/** The broker's {@link BrokerMXBean}: figures read when asked, operations through {@link Management}. */
final class BrokerBean implements BrokerMXBean {
    private final Management management;
    private final String version;
    private final String url;

    BrokerBean(Management management, String version, String url) {
        this.management = management;
        this.version = version;
        this.url = url;
    }

    @Override
    public String getVersion() {
        return version;
    }

    @Override
    public String getUrl() {
        return url;
    }

    @Override
    public int getConnections() {
        return management.connections();
    }

    @Override
    public long getSessions() {
        return management.sessions();
    }

    @Override
    public long getMemoryUsedBytes() {
        return management.memoryUsed();
    }

    @Override
    public long getMemoryLimitBytes() {
        return management.memoryLimit();
    }

    @Override
    public long getDiskUsedBytes() {
        return management.storeFigures().diskBytes();
    }

    @Override
    public long getSendWindowStalls() {
        return management.counters().sendWindowStalls();
    }

    @Override
    public long getRevocations() {
        return management.revocations();
    }

    @Override
    public long getTlsHandshakes() {
        return management.counters().tlsHandshakes();
    }

    @Override
    public long getTlsReloads() {
        return management.counters().tlsReloads();
    }

    @Override
    public long getTlsReloadFailures() {
        return management.counters().tlsReloadFailures();
    }

    @Override
    public List<String> getProblems() {
        return management.problems().now();
    }

    @Override
    public long getAuthFailures() {
        return management.counters().authFailures();
    }

    @Override
    public long getLoginsOverdue() {
        return management.counters().loginsOverdue();
    }

    @Override
    public long getAccessDenials() {
        return management.counters().accessDenials();
    }

    @Override
    public List<String> getQueueNames() {
        List<String> names = new ArrayList<>();
        for (PeekLockQueue queue : management.queues()) {
            if (!management.isTemporaryQueue(queue.name())) {
                names.add(queue.name());
            }
        }
        names.sort(null);
        return names;
    }

    @Override
    public int purge(String queue) {
        return JmxBeans.operation(() -> management.purge(queue));
    }

    @Override
    public void deleteQueue(String queue) {
        JmxBeans.operation(() -> {
            management.deleteQueue(queue);
            return null;
        });
    }

    @Override
    public String listDestinations() {
        return AdminTables.destinations(management.destinations(), management::storedMessages).render();
    }

    @Override
    public String listConnections() {
        return AdminTables.connections(management.openConnections()).render();
    }

    @Override
    public boolean closeConnection(long id) {
        return management.closeConnection(id);
    }

    @Override
    public int closeConnectionsOf(String user) {
        return management.disconnect(user).connections().size();
    }
}
