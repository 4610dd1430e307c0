package io.tunnelmq.jms.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.mockito.Mockito.mock;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30) // the first Mockito inline mock of a JVM can take seconds on a loaded machine
class SessionTableTest {

    @Test
    void channelsStartAtOneAndTheLowestFreeIsReused() {
        SessionTable table = new SessionTable();
        assertThat(table.allocate()).isEqualTo(1);
        assertThat(table.allocate()).isEqualTo(2);
        assertThat(table.allocate()).isEqualTo(3);
        table.remove(2, true);
        table.remove(1, true);
        assertThat(table.allocate()).isEqualTo(1);
        assertThat(table.allocate()).isEqualTo(2);
        assertThat(table.allocate()).isEqualTo(4);
    }

    @Test
    void aChannelWhoseFateIsUnknownStaysReserved() {
        SessionTable table = new SessionTable();
        int ch = table.allocate();
        ClientSession session = new ClientSession(mock(TunnelClientConnection.class), ch, false);
        table.put(session);
        assertThat(table.get(ch)).isSameAs(session);

        table.remove(ch, false);

        assertThat(table.get(ch)).isNull();
        assertThat(table.isInUse(ch)).isTrue();
        assertThat(table.allocate()).isEqualTo(2);
    }

    @Test
    void allIsASnapshot() {
        SessionTable table = new SessionTable();
        ClientSession a = new ClientSession(mock(TunnelClientConnection.class), table.allocate(), false);
        ClientSession b = new ClientSession(mock(TunnelClientConnection.class), table.allocate(), true);
        table.put(a);
        table.put(b);
        for (ClientSession s : table.all()) {
            table.remove(s.channel(), true); // no ConcurrentModificationException
        }
        assertThat(table.all()).isEmpty();
    }

    @Test
    void manySessionsAreFoundByChannelAndAChannelNoSessionHasFindsNone() {
        SessionTable table = new SessionTable();
        TunnelClientConnection connection = mock(TunnelClientConnection.class);
        ClientSession[] sessions = new ClientSession[100];
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = new ClientSession(connection, table.allocate(), false);
            table.put(sessions[i]);
        }
        for (ClientSession s : sessions) {
            assertThat(table.get(s.channel())).isSameAs(s);
        }
        assertThat(table.all()).containsExactly(sessions);
        assertThat(table.get(0)).as("connection control").isNull();
        assertThat(table.get(-1)).isNull();
        assertThat(table.get(101)).isNull();
        assertThat(table.get(Integer.MAX_VALUE)).isNull();
        table.remove(Integer.MAX_VALUE, true); // a number the broker sent: nothing to forget
        assertThat(table.all()).hasSize(100);
    }
}
