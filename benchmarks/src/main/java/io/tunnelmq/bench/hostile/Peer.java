package io.tunnelmq.bench.hostile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/** One hostile connection, non-blocking after its connect; owned by the {@link HostilePeers} thread. */
final class Peer {
    /** The length prefix of a frame just under the broker's default 16 MiB limit: accepted, then never completed. */
    static final int BIG_FRAME_LENGTH = 16 * 1024 * 1024 - 4;
    static final int SLOW_FRAME_LENGTH = 4_000;
    private static final ByteBuffer SCRATCH = ByteBuffer.allocate(4096);

    final PeerKind kind;
    private final SocketChannel channel;
    final long openedNanos;
    private long lastByteNanos;
    private boolean closed;
    private boolean closedByItself;

    private Peer(PeerKind kind, SocketChannel channel, long openedNanos) {
        this.kind = kind;
        this.channel = channel;
        this.openedNanos = openedNanos;
        this.lastByteNanos = openedNanos;
    }

    /**
     * Connects from {@code from} (a loopback address of its own, so the per-address limit is not what stops the
     * attack) and sends the kind's first bytes.
     *
     * @throws IOException when the connection cannot be made
     */
    static Peer open(Selector selector, InetSocketAddress broker, String from, PeerKind kind, int connectTimeoutMillis)
            throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.bind(new InetSocketAddress(from, 0));
            channel.socket().connect(broker, connectTimeoutMillis);
            channel.configureBlocking(false);
            Peer peer = new Peer(kind, channel, System.nanoTime());
            channel.register(selector, SelectionKey.OP_READ, peer);
            switch (kind) {
                case BIG_FRAME -> peer.write(ByteBuffer.allocate(4).putInt(0, BIG_FRAME_LENGTH));
                case SLOWLORIS -> peer.write(ByteBuffer.allocate(4).putInt(0, SLOW_FRAME_LENGTH));
                case IDLE -> {
                }
            }
            return peer;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Sends one more byte of the unfinished frame. */
    void trickle(long now) {
        lastByteNanos = now;
        write(ByteBuffer.wrap(new byte[]{1}));
    }

    long lastByteNanos() {
        return lastByteNanos;
    }

    /**
     * Reads what the broker sent (its error frame, if any).
     *
     * @return true when the broker has closed the connection
     */
    boolean drain() {
        try {
            int n;
            do {
                SCRATCH.clear();
                n = channel.read(SCRATCH);
            } while (n > 0);
            if (n < 0) {
                close();
            }
        } catch (IOException reset) {
            close();
        }
        return closed;
    }

    boolean closed() {
        return closed;
    }

    /** Whether the peer closed the connection itself ({@link #closeItself}) rather than the broker. */
    boolean closedByItself() {
        return closedByItself;
    }

    /** Ends the connection from this side (an idle peer that has waited long enough). */
    void closeItself() {
        if (!closed) {
            closedByItself = true;
            close();
        }
    }

    private void write(ByteBuffer bytes) {
        if (closed) {
            return;
        }
        try {
            channel.write(bytes);
        } catch (IOException reset) {
            close(); // the broker's close shows on the next read too; drain() counts it
        }
    }

    void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
