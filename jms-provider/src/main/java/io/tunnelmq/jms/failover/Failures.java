package io.tunnelmq.jms.failover;

import io.tunnelmq.jms.engine.EngineException;
import io.tunnelmq.protocol.ErrorCode;

/** The errors the failover layer raises itself, worded once. */
final class Failures {
    private Failures() {
    }

    static EngineException locksLost(long[] outerTokens) {
        return new EngineException(ErrorCode.UNKNOWN_LOCK_TOKEN, "the connection to the broker was lost: the locks of "
                + outerTokens.length + " messages were lost; they will be delivered again", outerTokens);
    }

    static EngineException transactionLost() {
        return new EngineException(ErrorCode.TRANSACTION_ROLLED_BACK, "the connection to the broker was lost during "
                + "the transaction: its sends were discarded and its received messages will be delivered again");
    }

    static EngineException commitNotApplied() {
        return new EngineException(ErrorCode.TRANSACTION_ROLLED_BACK, "the connection to the broker was lost during "
                + "the commit, and the broker did not apply it: the transaction's sends were discarded and its "
                + "received messages will be delivered again");
    }

    static EngineException sessionClosed() {
        return new EngineException(ErrorCode.ILLEGAL_STATE, "session is closed");
    }

    static EngineException lostAtOnce(Link link) {
        return new EngineException(ErrorCode.CONNECTION_FAILED, "the connection to " + link.address
                + " was lost right after it was established");
    }
}
