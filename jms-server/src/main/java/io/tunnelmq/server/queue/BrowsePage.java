package io.tunnelmq.server.queue;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.List;

/**
 * A page of a queue browse: messages in delivery order, none of them locked by browsing.
 *
 * @param messages the messages
 * @param cursors  for each message, the cursor that continues a browse right after it (never 0)
 * @param end      the walk reached the end of the queue: nothing matching follows
 * @param next     the cursor that continues after everything this page looked at (0 at the end); a page cut short
 *                 by the scan limit may be empty and still not the end
 */
public record BrowsePage(List<WireMessage> messages, long[] cursors, boolean end, long next) {
}
