package io.tunnelmq.jms.engine;

import io.tunnelmq.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The session channels of one connection. Channel numbers start at 1 (0 is connection control); the lowest
 * free number is handed out, so numbers are reused once the broker has confirmed a session closed.
 * Confined to the connection's event loop.
 */
final class SessionTable {
    private final Map<Integer, ClientSession> byChannel = new HashMap<>();
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
        byChannel.put(session.channel(), session);
    }

    ClientSession get(int channel) {
        return byChannel.get(channel);
    }

    /**
     * Forgets a session.
     *
     * @param freeNumber false when the broker's view is unknown (a request timed out): the number then stays
     *                   reserved, so a late-opened session on the broker cannot collide with a new one
     */
    void remove(int channel, boolean freeNumber) {
        byChannel.remove(channel);
        if (freeNumber) {
            inUse.clear(channel);
        }
    }

    /** A snapshot, safe to iterate while sessions remove themselves. */
    List<ClientSession> all() {
        return new ArrayList<>(byChannel.values());
    }

    boolean isInUse(int channel) {
        return inUse.get(channel);
    }
}
