package io.tunnelmq.jms.pool;

import io.tunnelmq.jms.TunnelConnectionFactory;
import io.tunnelmq.jms.client.JmsContext;
import io.tunnelmq.jms.client.JmsExceptions;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;
import org.apache.commons.pool2.impl.GenericKeyedObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A ConnectionFactory that pools the connections, sessions and producers of another one (normally a
 * {@link TunnelConnectionFactory}), on Apache Commons Pool.
 *
 * <pre>{@code
 * PooledConnectionFactory pool = new PooledConnectionFactory(new TunnelConnectionFactory("tmq://broker:9494"));
 * pool.setMaxConnections(4);
 * try (Connection c = pool.createConnection()) {          // borrows a connection
 *     Session s = c.createSession();                        // borrows a session of that connection
 *     s.createProducer(s.createQueue("orders")).send(s.createTextMessage("hello"));
 * }                                                         // both go back to the pool, clean
 * pool.close();                                             // closes every connection
 * }</pre>
 *
 * <ul>
 *   <li><b>Connections</b> are pooled per user/password, at most {@code maxConnections} in all. A connection is lent
 *   to one borrower at a time, from {@code createConnection()} to its {@code close()}: its ExceptionListener,
 *   start/stop and temporary destinations behave as JMS says for one connection. A borrowed connection starts
 *   stopped, as a new JMS connection does; on return the pool stops it again.</li>
 *   <li><b>Sessions</b> are pooled per connection and session mode, at most {@code maxSessionsPerConnection}
 *   per connection. Each session keeps one anonymous producer that all the borrower's producers send through;
 *   consumers are pooled too if {@code poolConsumers} is set (off by default: a pooled idle consumer keeps its
 *   subscription).</li>
 *   <li><b>Clean return</b>: closing a pooled session closes the consumers and browsers the application created on
 *   it, removes its listeners, rolls a transacted session back and recovers a CLIENT_ACKNOWLEDGE one, so nothing
 *   of one borrower is seen by the next. Closing a pooled connection does that for all its sessions, deletes its
 *   temporary destinations and forgets its ExceptionListener; the physical connection stays open for the next
 *   borrower.</li>
 *   <li><b>Exhaustion</b>: with {@code blockIfExhausted} (default) a borrower waits up to {@code maxWait} ms for a
 *   connection or session to be returned; otherwise, or after that, it gets a JMSException that names the
 *   limit.</li>
 *   <li><b>Failure</b>: a connection whose ExceptionListener fired leaves the pool and is never lent again; the
 *   next borrower gets a new one. The borrower's own ExceptionListener still hears of the failure.</li>
 *   <li><b>Idle eviction</b>: every {@code timeBetweenEvictionRuns} ms, connections idle for at least
 *   {@code minIdleTime} ms are closed.</li>
 *   <li>{@code setClientID} works right after {@code createConnection()}: the borrower then gets a physical
 *   connection of its own, closed (not pooled) when it is closed. Later it fails with IllegalStateException, as
 *   JMS says. The application never reaches the physical connection, so it cannot close it under the pool.</li>
 *   <li>{@code createContext()} borrows a connection the same way; its JMSContext is TunnelMQ's own (so
 *   {@code receiveBody} and every JMS 2.0 rule hold), and closing it returns the connection. It needs a
 *   TunnelMQ target factory.</li>
 * </ul>
 * Settings are fixed once the factory has lent its first connection. Also configurable in a URL:
 * {@link #fromUrl(String)}.
 */
public class PooledConnectionFactory implements ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory,
        AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PooledConnectionFactory.class);

    private final ConnectionFactory target;
    private final Object lock = new Object();
    private final Set<ConnectionHolder> open = ConcurrentHashMap.newKeySet();
    private GenericKeyedObjectPool<Credentials, ConnectionHolder> connections; // guarded by lock, made on first use
    private boolean closed; // guarded by lock
    private volatile int maxConnections = 8;
    private volatile int maxSessionsPerConnection = 100;
    private volatile boolean blockIfExhausted = true;
    private volatile long maxWaitMillis = 30_000;
    private volatile long timeBetweenEvictionRunsMillis = 30_000;
    private volatile long minIdleTimeMillis = 60_000;
    private volatile boolean poolConsumers;

    /** A pool over any ConnectionFactory (createContext() needs a {@link TunnelConnectionFactory}). */
    public PooledConnectionFactory(ConnectionFactory target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * A pool over a {@link TunnelConnectionFactory} for a URL whose {@code pool.*} options configure the pool
     * and whose other options the connections, e.g.
     * {@code tmq://broker:9494?pool=true&pool.maxConnections=4&pool.maxWait=5000&prefetch=10}.
     *
     * @throws IllegalArgumentException for a malformed URL, an unknown option, a bad value or {@code pool=false}
     */
    public static PooledConnectionFactory fromUrl(String url) {
        return PoolUrl.parse(url).factory();
    }

    /**
     * The factory a connection URL asks for: a PooledConnectionFactory if it says {@code pool=true} (see
     * {@link #fromUrl(String)}), else a plain {@link TunnelConnectionFactory}. The JNDI factory binds what this
     * returns.
     *
     * @throws IllegalArgumentException for a malformed URL, an unknown option, a bad value, or {@code pool.*}
     *                                  options without {@code pool=true}
     */
    public static ConnectionFactory forUrl(String url) {
        PoolUrl parsed = PoolUrl.parse(url);
        if (parsed.pooled()) {
            return parsed.factory();
        }
        parsed.requireNoPoolOptions();
        return new TunnelConnectionFactory(parsed.connectionUrl());
    }

    // ---- ConnectionFactory ----

    @Override
    public Connection createConnection() throws JMSException {
        return borrow(null, null);
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return borrow(userName, password);
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return borrow(null, null);
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return borrow(userName, password);
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return borrow(null, null);
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return borrow(userName, password);
    }

    @Override
    public JMSContext createContext() {
        return createContext(null, null, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return createContext(userName, password, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return createContext(null, null, sessionMode);
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        JmsContext.checkSessionMode(sessionMode);
        try {
            return new PooledContext(borrow(userName, password), sessionMode);
        } catch (JMSException e) {
            throw JmsExceptions.toRuntime(e);
        }
    }

    private PooledConnection borrow(String user, String password) throws JMSException {
        Credentials key = user == null && password == null ? Credentials.DEFAULT : new Credentials(user, password);
        return new PooledConnection(this, PoolLimits.borrow(pool(), key, "maxConnections", "connections"));
    }

    @SuppressWarnings("deprecation") // setMinEvictableIdleTime: see there
    private GenericKeyedObjectPool<Credentials, ConnectionHolder> pool() throws JMSException {
        synchronized (lock) {
            if (closed) {
                throw new jakarta.jms.IllegalStateException("this PooledConnectionFactory is closed");
            }
            if (connections == null) {
                GenericKeyedObjectPoolConfig<ConnectionHolder> config = new GenericKeyedObjectPoolConfig<>();
                config.setMaxTotal(maxConnections);
                config.setMaxTotalPerKey(maxConnections);
                config.setMaxIdlePerKey(maxConnections);
                config.setBlockWhenExhausted(blockIfExhausted);
                config.setMaxWait(Duration.ofMillis(maxWaitMillis));
                config.setTestOnBorrow(true);
                config.setTestOnReturn(true);
                config.setTestWhileIdle(true);
                config.setTimeBetweenEvictionRuns(Duration.ofMillis(timeBetweenEvictionRunsMillis));
                // deprecated since Commons Pool 2.12, but its successor setMinEvictableIdleDuration does not exist in
                // 2.11, the version Spring Boot 2.7 pins (NoSuchMethodError there)
                config.setMinEvictableIdleTime(Duration.ofMillis(minIdleTimeMillis));
                config.setNumTestsPerEvictionRun(-1); // look at every idle connection on each run
                config.setJmxEnabled(false);
                connections = new GenericKeyedObjectPool<>(new ConnectionHolderFactory(this), config);
            }
            return connections;
        }
    }

    // ---- for the pool's own classes ----

    /** A new physical connection of the target factory. */
    Connection open(Credentials credentials) throws JMSException {
        return credentials.isDefault() ? target.createConnection()
                : target.createConnection(credentials.user(), credentials.password());
    }

    void opened(ConnectionHolder holder) {
        open.add(holder);
    }

    void closed(ConnectionHolder holder) {
        open.remove(holder);
    }

    /** A borrower closed its connection: back to the pool if it is clean, else closed. */
    void giveBack(ConnectionHolder holder, boolean clean) {
        GenericKeyedObjectPool<Credentials, ConnectionHolder> pool;
        synchronized (lock) {
            pool = connections;
        }
        try {
            if (clean && holder.reusable()) {
                pool.returnObject(holder.credentials(), holder);
            } else {
                pool.invalidateObject(holder.credentials(), holder);
            }
        } catch (Exception e) {
            LOG.debug("{} could not go back to the pool; it is closed", holder, e);
            open.remove(holder);
            holder.destroy();
        }
    }

    /** Closes every connection, idle or lent; connections lent out fail on their next use. */
    @Override
    public void close() {
        GenericKeyedObjectPool<Credentials, ConnectionHolder> pool;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            pool = connections;
        }
        if (pool != null) {
            pool.close();
        }
        for (ConnectionHolder holder : open) {
            open.remove(holder);
            holder.destroy();
        }
    }

    // ---- monitoring ----

    /** Connections lent to borrowers now. */
    public int getNumActiveConnections() {
        synchronized (lock) {
            return connections == null ? 0 : connections.getNumActive();
        }
    }

    /** Open connections waiting in the pool for a borrower. */
    public int getNumIdleConnections() {
        synchronized (lock) {
            return connections == null ? 0 : connections.getNumIdle();
        }
    }

    // ---- settings (fixed once the first connection was lent) ----

    public int getMaxConnections() {
        return maxConnections;
    }

    /** Physical connections the pool opens at most, over all credentials (default 8). */
    public void setMaxConnections(int value) {
        requirePositive("maxConnections", value);
        checkConfigurable();
        maxConnections = value;
    }

    public int getMaxSessionsPerConnection() {
        return maxSessionsPerConnection;
    }

    /** Sessions a connection has at most, lent or idle, over all session modes (default 100). */
    public void setMaxSessionsPerConnection(int value) {
        requirePositive("maxSessionsPerConnection", value);
        checkConfigurable();
        maxSessionsPerConnection = value;
    }

    public boolean isBlockIfExhausted() {
        return blockIfExhausted;
    }

    /** Whether a borrower waits (up to maxWait) when a limit is reached, or fails at once (default true). */
    public void setBlockIfExhausted(boolean value) {
        checkConfigurable();
        blockIfExhausted = value;
    }

    public long getMaxWaitMillis() {
        return maxWaitMillis;
    }

    /** How long a borrower waits when a limit is reached, in ms; negative waits without limit (default 30000). */
    public void setMaxWaitMillis(long value) {
        checkConfigurable();
        maxWaitMillis = value;
    }

    public long getTimeBetweenEvictionRunsMillis() {
        return timeBetweenEvictionRunsMillis;
    }

    /** How often idle connections are looked at, in ms; 0 or less turns eviction off (default 30000). */
    public void setTimeBetweenEvictionRunsMillis(long value) {
        checkConfigurable();
        timeBetweenEvictionRunsMillis = value;
    }

    public long getMinIdleTimeMillis() {
        return minIdleTimeMillis;
    }

    /** How long a connection must have been idle before eviction closes it, in ms (default 60000). */
    public void setMinIdleTimeMillis(long value) {
        checkConfigurable();
        minIdleTimeMillis = value;
    }

    public boolean isPoolConsumers() {
        return poolConsumers;
    }

    /**
     * Whether closed consumers are kept for the next borrower of the session asking for the same destination,
     * selector and noLocal (default false: an idle pooled consumer still holds its place on the queue).
     */
    public void setPoolConsumers(boolean value) {
        checkConfigurable();
        poolConsumers = value;
    }

    private void checkConfigurable() {
        synchronized (lock) {
            if (connections != null || closed) {
                throw new IllegalStateException("the pool's settings are fixed once it has lent a connection;"
                        + " configure it before first use");
            }
        }
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    @Override
    public String toString() {
        return "PooledConnectionFactory[" + target + ", maxConnections=" + maxConnections + "]";
    }
}
