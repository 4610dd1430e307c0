package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.message.WireMessage;

import java.util.List;

/**
 * A page of a queue's available messages, in delivery order, none of them locked.
 *
 * @param messages the page's messages
 * @param last     the broker had no further matching messages when it took the page
 */
public record BrowsePage(List<WireMessage> messages, boolean last) {

    public BrowsePage {
        messages = List.copyOf(messages);
    }
}
