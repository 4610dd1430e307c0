package io.tunnelmq.bench.load;

import io.tunnelmq.jms.LockedMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;

/** Settles what one consumer receives, the way its acknowledgement mode asks. One per consumer thread. */
final class Acknowledger {
    private final Session session;
    private final AckMode mode;
    private final int batch;
    private Message unacknowledged;
    private int pending;

    Acknowledger(Session session, AckMode mode, int batch) {
        this.session = session;
        this.mode = mode;
        this.batch = batch;
    }

    /** Called once per message the application has finished with. */
    void processed(Message message) throws JMSException {
        switch (mode) {
            case AUTO, DUPS_OK -> {
                // the session settles it
            }
            case INDIVIDUAL -> {
                if (message instanceof LockedMessage locked) {
                    locked.complete();
                } else {
                    message.acknowledge();
                }
            }
            case CLIENT -> {
                unacknowledged = message;
                if (++pending >= batch) {
                    flush();
                }
            }
            case TRANSACTED -> {
                if (++pending >= batch) {
                    flush();
                }
            }
        }
    }

    /** Settles what a partial batch still holds. */
    void flush() throws JMSException {
        if (pending == 0) {
            return;
        }
        if (mode == AckMode.CLIENT) {
            unacknowledged.acknowledge();
            unacknowledged = null;
        } else if (mode == AckMode.TRANSACTED) {
            session.commit();
        }
        pending = 0;
    }
}
