package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.List;

/**
 * A page of a queue's available messages, in delivery order, none of them locked.
 *
 * @param messages the page's messages
 * @param last     the broker had no further matching messages when it took the page
 * @param cursor   where the page ended, for the next page to continue from; 0 if the broker pages by offset only
 */
public record BrowsePage(List<WireMessage> messages, boolean last, long cursor) {

    public BrowsePage {
        messages = List.copyOf(messages);
    }

    /** A page from a broker that pages by offset only. */
    public BrowsePage(List<WireMessage> messages, boolean last) {
        this(messages, last, 0);
    }
}
