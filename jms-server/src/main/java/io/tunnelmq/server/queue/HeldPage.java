package io.tunnelmq.server.queue;

import java.util.List;

/**
 * A page of a queue's held messages in delivery order ({@link PeekLockQueue#inspect}, {@link PeekLockQueue#take}).
 *
 * @param messages the messages of this page
 * @param end      nothing matching follows
 * @param next     the cursor that continues after everything this page looked at (0 at the end); a page cut short by
 *                 the scan limit may be empty and still not the end
 * @param locked   for {@link PeekLockQueue#take}: how many matching messages were locked to consumers and so left
 *                 where they are (counted on the first page only); 0 for an inspection
 */
public record HeldPage(List<HeldMessage> messages, boolean end, long next, int locked) {
}
