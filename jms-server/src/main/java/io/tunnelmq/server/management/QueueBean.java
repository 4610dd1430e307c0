package io.tunnelmq.server.management;

import io.tunnelmq.server.queue.PeekLockQueue;

/** One queue's {@link QueueMXBean}. */
final class QueueBean extends HeldMessagesBean implements QueueMXBean {

    QueueBean(PeekLockQueue queue, Management management) {
        super(queue, queue.name(), management);
    }

    @Override
    public void delete() {
        JmxBeans.operation(() -> {
            management.deleteQueue(queue.name());
            return null;
        });
    }

    @Override
    public int replayDeadLetters(String selector) {
        return JmxBeans.operation(() -> management.replayDeadLetters(queue.name(), selector));
    }
}
