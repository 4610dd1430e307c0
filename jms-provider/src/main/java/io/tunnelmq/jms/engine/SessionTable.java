package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The session channels of one connection. Channel numbers start at 1 (0 is connection control); the lowest
 * free number is handed out, so numbers are reused once the broker has confirmed a session closed; the sessions are
 * therefore kept in an array by channel number (every delivery looks its session up). Confined to the connection's
 * event loop.
 */
final class SessionTable {
    private ClientSession[] byChannel = new ClientSession[8];
    private final BitSet inUse = new BitSet();

    /** Reserves the lowest free channel number. */
    int allocate() {
        int channel = inUse.nextClearBit(1);
        if (channel < 1) {
            throw new EngineException(ErrorCode.RESOURCE_EXHAUSTED,
                    "no free session channel left on this connection; close sessions you no longer use");
        }
        inUse.set(channel);
        return channel;
    }

    void put(ClientSession session) {
        int channel = session.channel();
        if (channel >= byChannel.length) {
            byChannel = Arrays.copyOf(byChannel, Math.max(channel + 1, byChannel.length * 2));
        }
        byChannel[channel] = session;
    }

    /** The session on this channel, or null (a number the broker sent may be anything). */
    ClientSession get(int channel) {
        return channel >= 0 && channel < byChannel.length ? byChannel[channel] : null;
    }

    /**
     * Forgets a session.
     *
     * @param freeNumber false when the broker's view is unknown (a request timed out): the number then stays
     *                   reserved, so a late-opened session on the broker cannot collide with a new one
     */
    void remove(int channel, boolean freeNumber) {
        if (channel >= 0 && channel < byChannel.length) {
            byChannel[channel] = null;
        }
        if (freeNumber) {
            inUse.clear(channel);
        }
    }

    /** A snapshot, safe to iterate while sessions remove themselves. */
    List<ClientSession> all() {
        List<ClientSession> all = new ArrayList<>();
        for (ClientSession session : byChannel) {
            if (session != null) {
                all.add(session);
            }
        }
        return all;
    }

    boolean isInUse(int channel) {
        return inUse.get(channel);
    }
}
