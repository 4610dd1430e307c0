package io.tunnelmq.server.management;

import java.util.List;

/**
 * The broker as JMX shows it: {@code io.tunnelmq:type=Broker,broker="host:port"}. The same figures as
 * {@code /metrics}, and the operations that are simple on the queue engine; the rest comes with the admin channel.
 */
public interface BrokerMXBean {
    /** The broker's product version. */
    String getVersion();

    /** The URL clients connect to. */
    String getUrl();

    int getConnections();

    long getSessions();

    long getMemoryUsedBytes();

    long getMemoryLimitBytes();

    /** Bytes the journal's files hold; 0 without a persistent store. */
    long getDiskUsedBytes();

    long getSendWindowStalls();

    long getRevocations();

    long getTlsHandshakes();

    /** Times the TLS port's files changed and were taken into use since start. */
    long getTlsReloads();

    /** Times the TLS port's files changed but could not be used since start (the TLS in force stayed). */
    long getTlsReloadFailures();

    /**
     * What an operator must fix while the broker runs on: a users, permissions or TLS file changed but refused, a
     * TLS certificate expired or expiring within 30 days. Empty when all is well.
     */
    List<String> getProblems();

    long getAuthFailures();

    /** Logins not checked since start, the login threads having reached them only after the login deadline. */
    long getLoginsOverdue();

    /** Operations refused for want of a permission since start. */
    long getAccessDenials();

    /** The queues (temporary ones left out), each also a {@code type=Queue} bean. */
    List<String> getQueueNames();

    /**
     * Removes every message waiting on a queue; locked ones stay with their consumers.
     *
     * @return how many were removed
     */
    int purge(String queue);

    /** Deletes a queue with its waiting messages; refused while it has consumers. */
    void deleteQueue(String queue);

    /** Every queue, topic and subscription with its figures, as a text table. */
    String listDestinations();

    /** The open client connections, as a text table. */
    String listConnections();

    /**
     * Closes a client connection as if it were lost (its locks are given back).
     *
     * @param id the connection's number, as {@link #listConnections()} shows it
     * @return false if no open connection has that id
     */
    boolean closeConnection(long id);

    /**
     * Closes every connection of a user (after its password was revoked), and ends its web console sessions; returns
     * how many connections were closed.
     */
    int closeConnectionsOf(String user);
}
