package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.frame.SettleOutcome;

/** Settles one lock with a given outcome through {@link PeekLockQueue#settle}, as a Settle frame would. */
final class TestSettle {
    private TestSettle() {
    }

    static SettleResult complete(PeekLockQueue queue, LockOwner owner, long lockToken) {
        return queue.settle(owner, lockToken, SettleOutcome.COMPLETE, null);
    }

    static SettleResult abandon(PeekLockQueue queue, LockOwner owner, long lockToken) {
        return queue.settle(owner, lockToken, SettleOutcome.ABANDON, null);
    }

    static SettleResult release(PeekLockQueue queue, LockOwner owner, long lockToken) {
        return queue.settle(owner, lockToken, SettleOutcome.RELEASE, null);
    }

    static SettleResult renew(PeekLockQueue queue, LockOwner owner, long lockToken) {
        return queue.settle(owner, lockToken, SettleOutcome.RENEW, null);
    }

    static SettleResult deadLetter(PeekLockQueue queue, LockOwner owner, long lockToken, String reason) {
        return queue.settle(owner, lockToken, SettleOutcome.DEAD_LETTER, reason);
    }
}
