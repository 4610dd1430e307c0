package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.frame.SettleOutcome;

/**
 * What {@link EngineSession#settle} does with the locks it names: the engine's own word for it, so the facade
 * settles without seeing a frame. Renewal ({@link EngineSession#renewLocks}) and hand-out notices
 * ({@link EngineSession#handedOut}) have their own operations.
 */
public enum LockOutcome {
    /** Delete the messages. */
    COMPLETE,
    /** Unlock the messages and raise their delivery count; they return to their place in the queue. */
    ABANDON,
    /** Unlock messages the application never saw; their delivery count is unchanged. */
    RELEASE,
    /** Move the messages to the dead-letter queue with the given reason. */
    DEAD_LETTER;

    /** The wire outcome that says this. */
    SettleOutcome onWire() {
        return switch (this) {
            case COMPLETE -> SettleOutcome.COMPLETE;
            case ABANDON -> SettleOutcome.ABANDON;
            case RELEASE -> SettleOutcome.RELEASE;
            case DEAD_LETTER -> SettleOutcome.DEAD_LETTER;
        };
    }
}
