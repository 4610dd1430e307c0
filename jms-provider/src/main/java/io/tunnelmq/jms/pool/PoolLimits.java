package io.tunnelmq.jms.pool;

import io.tunnelmq.jms.message.ExceptionLinks;
import jakarta.jms.JMSException;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;

import java.util.NoSuchElementException;

/**
 * Borrowing from a Commons pool with JMS errors: an exhausted pool says which limit was reached and what the
 * caller can change; a closed pool is an IllegalStateException; a failure to connect or to open a session passes
 * through unchanged.
 */
final class PoolLimits {
    private PoolLimits() {
    }

    /**
     * @param limit the setting that bounds the pool, as the user configures it ("maxConnections")
     * @param what  what the pool holds, for the message ("connections")
     */
    static <K, V> V borrow(GenericKeyedObjectPool<K, V> pool, K key, String limit, String what)
            throws JMSException {
        try {
            return pool.borrowObject(key);
        } catch (NoSuchElementException e) {
            JMSException exhausted = new JMSException(exhaustedMessage(pool, limit, what));
            exhausted.initCause(e);
            throw exhausted;
        } catch (IllegalStateException e) {
            jakarta.jms.IllegalStateException closed = new jakarta.jms.IllegalStateException(
                    "the pool of " + what + " is closed");
            closed.initCause(e);
            throw closed;
        } catch (JMSException e) {
            throw e;
        } catch (Exception e) {
            throw ExceptionLinks.link(new JMSException("could not open one of the pooled " + what + ": " + e), e);
        }
    }

    private static String exhaustedMessage(GenericKeyedObjectPool<?, ?> pool, String limit, String what) {
        int max = pool.getMaxTotal();
        String head = "all " + max + " pooled " + what + " are in use (" + limit + "=" + max + ")";
        if (pool.getBlockWhenExhausted()) {
            return head + " and none was returned within maxWait=" + pool.getMaxWaitDuration().toMillis()
                    + " ms; raise " + limit + " or maxWait, or close " + what + " sooner";
        }
        return head + " and blockIfExhausted=false fails at once; raise " + limit + ", close " + what
                + " sooner, or let borrowers wait with blockIfExhausted=true";
    }
}
