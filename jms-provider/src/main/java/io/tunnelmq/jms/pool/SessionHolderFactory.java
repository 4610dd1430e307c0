package io.tunnelmq.jms.pool;

import jakarta.jms.Connection;
import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;

/** Opens and closes the sessions of one physical connection; the key is the session mode. */
final class SessionHolderFactory extends BaseKeyedPooledObjectFactory<Integer, SessionHolder> {
    private final Connection connection;

    SessionHolderFactory(Connection connection) {
        this.connection = connection;
    }

    @Override
    public SessionHolder create(Integer mode) throws Exception {
        return SessionHolder.open(connection, mode);
    }

    @Override
    public PooledObject<SessionHolder> wrap(SessionHolder session) {
        return new DefaultPooledObject<>(session);
    }

    @Override
    public void destroyObject(Integer mode, PooledObject<SessionHolder> p) {
        p.getObject().close();
    }
}
