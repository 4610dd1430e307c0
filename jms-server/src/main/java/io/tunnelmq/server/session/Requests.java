package io.tunnelmq.server.session;

import io.tunnelmq.protocol.frame.Browse;
import io.tunnelmq.protocol.frame.CheckAccess;
import io.tunnelmq.protocol.frame.CloseConsumer;
import io.tunnelmq.protocol.frame.CloseSession;
import io.tunnelmq.protocol.frame.Commit;
import io.tunnelmq.protocol.frame.CommitQuery;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.CreateTemporary;
import io.tunnelmq.protocol.frame.DeleteTemporary;
import io.tunnelmq.protocol.frame.Disconnect;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Rollback;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.Unsubscribe;

/** Which frames are requests, and their ids. */
final class Requests {
    private Requests() {
    }

    /** The request id of a frame that expects an answer, or 0 for one that does not (Credit, Settle with 0, ...). */
    static long requestId(Frame frame) {
        if (frame instanceof Send f) {
            return f.requestId();
        } else if (frame instanceof Settle f) {
            return f.requestId();
        } else if (frame instanceof OpenSession f) {
            return f.requestId();
        } else if (frame instanceof CloseSession f) {
            return f.requestId();
        } else if (frame instanceof CreateConsumer f) {
            return f.requestId();
        } else if (frame instanceof CloseConsumer f) {
            return f.requestId();
        } else if (frame instanceof Commit f) {
            return f.requestId();
        } else if (frame instanceof CommitQuery f) {
            return f.requestId();
        } else if (frame instanceof Rollback f) {
            return f.requestId();
        } else if (frame instanceof Disconnect f) {
            return f.requestId();
        } else if (frame instanceof Unsubscribe f) {
            return f.requestId();
        } else if (frame instanceof Browse f) {
            return f.requestId();
        } else if (frame instanceof CreateTemporary f) {
            return f.requestId();
        } else if (frame instanceof DeleteTemporary f) {
            return f.requestId();
        } else if (frame instanceof CheckAccess f) {
            return f.requestId();
        }
        return 0;
    }
}
