package io.tunnelmq.jms.client;

import jakarta.jms.IllegalStateException;

/**
 * The calls an application callback (a MessageListener or CompletionListener, run by a {@link SessionDispatcher}) must
 * not make because they would wait for that very callback to return.
 */
final class CallbackRules {
    private CallbackRules() {
    }

    /**
     * Refuses a call from a callback of the connection: close from any of them; stop only from a MessageListener,
     * since a CompletionListener may stop the connection (JMS 2.0 §7.3.8 forbids it only close, commit and rollback).
     */
    static void refuseOnConnection(JmsConnection connection, String what, boolean completionListenerMayCall)
            throws IllegalStateException {
        SessionDispatcher current = SessionDispatcher.current();
        if (current == null || current.session().connection() != connection
                || completionListenerMayCall && current.inCompletionListener()) {
            return;
        }
        throw JmsExceptions.illegalState(what + " must not be called from a MessageListener"
                + (completionListenerMayCall ? "" : " or CompletionListener") + " of the same connection: it would"
                + " wait for that callback to return");
    }

    /** Refuses Session.close() from a callback of the same session. */
    static void refuseSessionClose(SessionDispatcher dispatcher) throws IllegalStateException {
        if (dispatcher.isCurrentThread()) {
            throw JmsExceptions.illegalState("Session.close() must not be called from a MessageListener or"
                    + " CompletionListener of the same session: it would wait for that callback to return");
        }
    }
}
