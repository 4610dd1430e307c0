package io.tunnelmq.server.store.postgres;

import io.tunnelmq.server.store.StoreException;
import io.tunnelmq.server.store.StoreIds;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Blocks of store ids from the sequence {@code tmq_id_blocks} (schema V2): one nextval a block, for every broker. */
final class IdBlocks implements StoreIds.Blocks {
    /** The ids in a block: the sequence's INCREMENT BY in {@code V2__cluster.sql}. */
    static final int SIZE = 1024;

    private final DataSource dataSource;
    private final String where;

    IdBlocks(DataSource dataSource, String where) {
        this.dataSource = dataSource;
        this.where = where;
    }

    @Override
    public long take() {
        try (Connection connection = dataSource.getConnection(); Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT nextval('tmq_id_blocks')")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("cannot take a block of store ids from the PostgreSQL database at " + where
                    + ": " + e.getMessage(), e);
        }
    }
}
