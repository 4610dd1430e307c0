package io.tunnelmq.jms.pool;

import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;

/**
 * Opens, checks and closes the physical connections of a {@link PooledConnectionFactory}. A connection that
 * failed or carries a borrower's client ID fails validation, so the pool never lends it again.
 */
final class ConnectionHolderFactory extends BaseKeyedPooledObjectFactory<Credentials, ConnectionHolder> {
    private final PooledConnectionFactory owner;

    ConnectionHolderFactory(PooledConnectionFactory owner) {
        this.owner = owner;
    }

    @Override
    public ConnectionHolder create(Credentials credentials) throws Exception {
        ConnectionHolder holder = ConnectionHolder.connect(owner, credentials);
        owner.opened(holder);
        return holder;
    }

    @Override
    public PooledObject<ConnectionHolder> wrap(ConnectionHolder holder) {
        return new DefaultPooledObject<>(holder);
    }

    @Override
    public boolean validateObject(Credentials credentials, PooledObject<ConnectionHolder> p) {
        return p.getObject().reusable();
    }

    @Override
    public void destroyObject(Credentials credentials, PooledObject<ConnectionHolder> p) {
        ConnectionHolder holder = p.getObject();
        owner.closed(holder);
        holder.destroy();
    }
}
