package io.tunnelmq.server.store.postgres;

import io.tunnelmq.server.store.SharedClientIds;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The client IDs of every broker's connections ({@code tmq_client_ids}, one row per client ID in use): see
 * {@link SharedClientIds}. A claim is one transaction on the reader thread: an insert that does nothing when the row
 * exists (one of two brokers inserting at once waits for the other, then finds its row), else the row read locked and
 * replaced if the claim may take it. The resume key is kept as its SHA-256 hash, never in clear. A takeover is told
 * to the broker that held the row by a NOTIFY ({@link QueueKeys#TAKEN_OVER}) in the same transaction.
 */
final class ClientIdRows implements SharedClientIds {
    private static final String INSERT = "INSERT INTO tmq_client_ids (client_id, broker_id, connection_id, username,"
            + " resume_hash) VALUES (?, ?, ?, ?, ?) ON CONFLICT (client_id) DO NOTHING";
    private static final String HELD = "SELECT broker_id, connection_id, username, resume_hash, EXISTS (SELECT 1 FROM"
            + " tmq_brokers b WHERE b.broker_id = c.broker_id) FROM tmq_client_ids c WHERE client_id = ? FOR UPDATE";
    private static final String TAKE = "UPDATE tmq_client_ids SET broker_id = ?, connection_id = ?, username = ?,"
            + " resume_hash = ? WHERE client_id = ?";
    private static final String RELEASE = "DELETE FROM tmq_client_ids WHERE client_id = ? AND broker_id = ?"
            + " AND connection_id = ?";

    private final ReaderCalls reader;
    private final UUID brokerId;
    private final Wakeups wakeups;

    ClientIdRows(ReaderCalls reader, UUID brokerId, Wakeups wakeups) {
        this.reader = reader;
        this.brokerId = brokerId;
        this.wakeups = wakeups;
    }

    @Override
    public CompletableFuture<Boolean> claim(Claim claim) {
        String hash = claim.resumeKey() == null ? null : hash(claim.resumeKey());
        return reader.inTransaction("claim client ID '" + claim.clientId() + "'", connection -> {
            for (int attempt = 0; attempt < 2; attempt++) { // the row may go between the insert and the read
                if (insert(connection, claim, hash)) {
                    return true;
                }
                try (PreparedStatement s = connection.prepareStatement(HELD)) {
                    s.setString(1, claim.clientId());
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next()) {
                            return take(connection, claim, hash, rs.getObject(1, UUID.class), rs.getString(2),
                                    rs.getString(3), rs.getString(4), rs.getBoolean(5));
                        }
                    }
                }
            }
            return false;
        });
    }

    private boolean take(Connection connection, Claim claim, String hash, UUID broker, String heldBy, String user,
                         String heldHash, boolean alive) throws SQLException {
        boolean resumed = claim.resumes() != null && claim.resumes().equals(heldBy) && hash != null
                && hash.equals(heldHash) && Objects.equals(claim.user(), user);
        if (!brokerId.equals(broker) && alive && !resumed) {
            return false;
        }
        try (PreparedStatement s = connection.prepareStatement(TAKE)) {
            s.setObject(1, brokerId);
            s.setString(2, claim.connectionId());
            s.setString(3, claim.user());
            s.setString(4, hash);
            s.setString(5, claim.clientId());
            s.executeUpdate();
        }
        if (alive && !brokerId.equals(broker)) { // its broker ends the connection it took over from
            QueueKeys.notify(connection, List.of(QueueKeys.TAKEN_OVER + broker + QueueKeys.SEPARATOR + heldBy));
        }
        return true;
    }

    private boolean insert(Connection connection, Claim claim, String hash) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(INSERT)) {
            s.setString(1, claim.clientId());
            s.setObject(2, brokerId);
            s.setString(3, claim.connectionId());
            s.setString(4, claim.user());
            s.setString(5, hash);
            return s.executeUpdate() == 1;
        }
    }

    @Override
    public CompletableFuture<Void> release(String clientId, String connectionId) {
        return reader.run("give client ID '" + clientId + "' back", connection -> {
            try (PreparedStatement s = connection.prepareStatement(RELEASE)) {
                s.setString(1, clientId);
                s.setObject(2, brokerId);
                s.setString(3, connectionId);
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void listenTakeovers(Consumer<String> takenOver) {
        wakeups.listenTakeovers(takenOver);
    }

    private static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
