package io.tunnelmq.server.net;

import io.tunnelmq.server.management.ConnectionDirectory;
import io.tunnelmq.server.management.ConnectionView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The broker's open connections: by connection id, so a client that reconnects can end the connection it replaces
 * (Hello option {@code resume}; ids are predictable, so the connection itself checks the successor's resume key and
 * user before it ends), and by JMS client ID, which JMS allows on one connection at a time. Also the
 * {@link ConnectionDirectory} management lists and closes connections through. Thread-safe.
 */
final class LiveConnections implements ConnectionDirectory {
    private static final Logger log = LoggerFactory.getLogger(LiveConnections.class);
    /** How long a listing waits for a busy connection's event loop to describe it; it is left out after that. */
    private static final long VIEW_WAIT_MILLIS = 2_000;

    private final Map<String, ConnectionHandler> byId = new ConcurrentHashMap<>();
    private final ClientIds clientIds;

    /** @param clientIds the client IDs of the connections (across the brokers over a shared store) */
    LiveConnections(ClientIds clientIds) {
        this.clientIds = clientIds;
    }

    /** A broker whose connections' client IDs no other broker shares. */
    LiveConnections() {
        this(new ClientIds(null));
    }

    void opened(String connectionId, ConnectionHandler connection) {
        byId.put(connectionId, connection);
    }

    void closed(String connectionId, ConnectionHandler connection) {
        byId.remove(connectionId, connection);
    }

    /** The resume end of the open connection with this id, or null. */
    Resume resumeOf(String connectionId) {
        ConnectionHandler connection = byId.get(connectionId);
        return connection != null ? connection.resume() : null;
    }

    ClientIds clientIds() {
        return clientIds;
    }

    /** The client ID of connection {@code connectionId} was taken over through another broker: it ends, if open. */
    void takenOver(String connectionId) {
        ConnectionHandler connection = byId.get(connectionId);
        if (connection != null) {
            connection.operator().closeTakenOver();
        }
    }

    @Override
    public List<ConnectionView> connections() {
        List<CompletableFuture<ConnectionView>> asked = new ArrayList<>();
        for (ConnectionHandler connection : byId.values()) {
            asked.add(connection.operator().view()); // each described on its own event loop, all at once
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(VIEW_WAIT_MILLIS);
        List<ConnectionView> views = new ArrayList<>(asked.size());
        for (CompletableFuture<ConnectionView> view : asked) {
            try {
                ConnectionView v = view.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (v != null) {
                    views.add(v);
                }
            } catch (TimeoutException | ExecutionException e) {
                log.debug("a connection did not describe itself in time; left out of the listing: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        views.sort(Comparator.comparingLong(ConnectionView::id));
        return views;
    }

    @Override
    public boolean close(long id) {
        for (Map.Entry<String, ConnectionHandler> e : byId.entrySet()) {
            if (ConnectionNumbers.number(e.getKey()) == id) {
                e.getValue().operator().closeByAdministrator();
                return true;
            }
        }
        return false;
    }

    @Override
    public String describe(String connectionId) {
        if (connectionId == null) {
            return "unknown";
        }
        ConnectionHandler connection = byId.get(connectionId);
        return connection != null ? connection.operator().describe()
                : "connection " + ConnectionNumbers.number(connectionId);
    }
}
