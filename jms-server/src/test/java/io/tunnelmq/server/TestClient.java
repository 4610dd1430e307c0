package io.tunnelmq.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.codec.FrameDecoder;
import io.tunnelmq.protocol.codec.FrameEncoder;
import io.tunnelmq.protocol.frame.CloseConsumer;
import io.tunnelmq.protocol.frame.CreateConsumer;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.frame.Frame;
import io.tunnelmq.protocol.frame.Heartbeat;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.Ok;
import io.tunnelmq.protocol.frame.OpenSession;
import io.tunnelmq.protocol.frame.Send;
import io.tunnelmq.protocol.frame.Settle;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A deliberately simple, blocking TunnelMQ client for broker tests: it speaks the real codec over a real
 * socket, one frame at a time, and keeps frames it was not waiting for until asked. Not thread-safe.
 */
public final class TestClient implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(5);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuf received = Unpooled.buffer();
    private final List<Frame> stash = new ArrayList<>();
    private final byte[] chunk = new byte[64 * 1024];
    private long nextRequestId = 1;
    private int nextChannel = 1;
    private boolean eof;
    private Welcome welcome;

    private TestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Opens a socket to the broker; no handshake yet. */
    public static TestClient connect(EmbeddedBroker broker) throws IOException {
        Socket socket = new Socket(broker.host(), broker.port());
        socket.setTcpNoDelay(true);
        return new TestClient(socket);
    }

    /** Opens a socket to the broker from a local address of this machine (127.0.0.2, ... on Linux); no handshake. */
    public static TestClient connectFrom(EmbeddedBroker broker, String localAddress) throws IOException {
        return connectFrom(broker.host(), broker.port(), localAddress);
    }

    /** As {@link #connectFrom(EmbeddedBroker, String)}, to a broker at {@code host:port} (one run by its main). */
    public static TestClient connectFrom(String host, int port, String localAddress) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress(host, port), (int) WAIT.toMillis());
        socket.setTcpNoDelay(true);
        return new TestClient(socket);
    }

    /** Connects to a broker at {@code host:port} (one in another process) and completes the handshake. */
    public static TestClient open(String host, int port) throws IOException {
        Socket socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        TestClient client = new TestClient(socket);
        client.hello(null, 0, Map.of());
        return client;
    }

    /** Connects and completes the handshake with heartbeats off. */
    public static TestClient open(EmbeddedBroker broker) throws IOException {
        TestClient client = connect(broker);
        client.hello(null, 0, Map.of());
        return client;
    }

    /** Sends Hello and expects Welcome. */
    public Welcome hello(String clientId, int heartbeatMillis, Map<String, Object> options) throws IOException {
        send(new Hello(Protocol.VERSION, clientId, null, null, heartbeatMillis, options));
        welcome = expect(Welcome.class);
        return welcome;
    }

    public Welcome welcome() {
        return welcome;
    }

    public long nextRequestId() {
        return nextRequestId++;
    }

    public void send(Frame frame) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        FrameEncoder.encode(frame, buf, Protocol.DEFAULT_MAX_FRAME_SIZE);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        sendRaw(bytes);
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame (heartbeats included), waiting up to {@link #WAIT}. */
    public Frame next() throws IOException {
        if (!stash.isEmpty()) {
            return stash.remove(0);
        }
        Frame frame = readFrame(WAIT);
        if (frame == null) {
            throw new AssertionError("connection closed by the broker while a frame was expected");
        }
        return frame;
    }

    /** The next frame other than a heartbeat, which must be of the given type. */
    public <T extends Frame> T expect(Class<T> type) throws IOException {
        Frame frame;
        do {
            frame = next();
        } while (frame instanceof Heartbeat && type != Heartbeat.class);
        if (!type.isInstance(frame)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + frame);
        }
        return type.cast(frame);
    }

    /** Waits for a frame of the type matching the predicate; frames in between are kept for later. */
    public <T extends Frame> T await(Class<T> type, Predicate<T> matches) throws IOException {
        for (Iterator<Frame> it = stash.iterator(); it.hasNext(); ) {
            Frame frame = it.next();
            if (type.isInstance(frame) && matches.test(type.cast(frame))) {
                it.remove();
                return type.cast(frame);
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Frame frame = left > 0 ? readFrame(Duration.ofNanos(left)) : null;
            if (frame == null) {
                throw new AssertionError("no matching " + type.getSimpleName() + " within " + WAIT + (eof
                        ? " (connection closed)" : "") + "; kept meanwhile: " + stash);
            }
            if (type.isInstance(frame) && matches.test(type.cast(frame))) {
                return type.cast(frame);
            }
            if (!(frame instanceof Heartbeat)) {
                stash.add(frame);
            }
        }
    }

    /** The answer (Ok or ErrorFrame) to a request id. */
    public Frame answer(long requestId) throws IOException {
        return await(Frame.class, f -> f instanceof Ok ok && ok.requestId() == requestId
                || f instanceof ErrorFrame error && error.requestId() == requestId);
    }

    /** Sends a request and expects Ok. */
    public Ok request(Frame request, long requestId) throws IOException {
        send(request);
        Frame answer = answer(requestId);
        if (!(answer instanceof Ok ok)) {
            throw new AssertionError("request " + request + " failed: " + answer);
        }
        return ok;
    }

    /** Sends a request and expects an ErrorFrame. */
    public ErrorFrame refused(Frame request, long requestId) throws IOException {
        send(request);
        Frame answer = answer(requestId);
        if (!(answer instanceof ErrorFrame error)) {
            throw new AssertionError("request " + request + " should have failed but got " + answer);
        }
        return error;
    }

    /** Opens a session on a new channel. */
    public int openSession(boolean transacted) throws IOException {
        int channel = nextChannel++;
        long id = nextRequestId();
        request(new OpenSession(channel, id, transacted, transacted ? 0 : 1), id);
        return channel;
    }

    public void createConsumer(int channel, int consumerId, WireDestination destination, int credit)
            throws IOException {
        long id = nextRequestId();
        request(new CreateConsumer(channel, id, consumerId, destination, null, false, null, false, false, credit), id);
    }

    /** Opens consumer {@code consumerId} of this client's durable subscription {@code name} to {@code topic}. */
    public void createDurableConsumer(int channel, int consumerId, WireDestination topic, String name, int credit)
            throws IOException {
        createDurableConsumer(channel, consumerId, topic, name, null, credit);
    }

    /** As {@link #createDurableConsumer(int, int, WireDestination, String, int)}, with a selector (null: none). */
    public void createDurableConsumer(int channel, int consumerId, WireDestination topic, String name, String selector,
                                      int credit) throws IOException {
        createDurableConsumer(channel, consumerId, topic, name, selector, false, credit);
    }

    /** As above, and with {@code noLocal}: none of this connection's publications. */
    public void createDurableConsumer(int channel, int consumerId, WireDestination topic, String name, String selector,
                                      boolean noLocal, int credit) throws IOException {
        long id = nextRequestId();
        request(new CreateConsumer(channel, id, consumerId, topic, selector, noLocal, name, true, false, credit, 0,
                List.of()), id);
    }

    /** Closes consumer {@code consumerId} of the session on {@code channel}, waiting for the broker's Ok. */
    public Ok closeConsumer(int channel, int consumerId) throws IOException {
        long id = nextRequestId();
        return request(new CloseConsumer(channel, id, consumerId), id);
    }

    public Ok sendMessage(int channel, WireMessage message) throws IOException {
        long id = nextRequestId();
        return request(new Send(channel, id, message), id);
    }

    public Deliver awaitDelivery(int channel, int consumerId) throws IOException {
        return await(Deliver.class, d -> d.channel() == channel && d.consumerId() == consumerId);
    }

    /** Settles with an answer and expects Ok. */
    public Ok settle(int channel, SettleOutcome outcome, long... tokens) throws IOException {
        long id = nextRequestId();
        return request(new Settle(channel, id, outcome, tokens, null), id);
    }

    /** Settles without wanting an answer. */
    public void settleAndForget(int channel, SettleOutcome outcome, long... tokens) throws IOException {
        send(new Settle(channel, 0, outcome, tokens, null));
    }

    /** Reads until the broker closes the connection; frames read meanwhile are kept. @return true if it closed */
    public boolean awaitClosed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eof) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            Frame frame = readFrame(Duration.ofNanos(left));
            if (frame != null && !(frame instanceof Heartbeat)) {
                stash.add(frame);
            }
        }
        return true;
    }

    /** Frames received and not yet consumed by a wait. */
    public List<Frame> stash() {
        return stash;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Closes the socket with a reset, as a crashed client would. */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** One frame from the socket, or null on timeout or end of stream. */
    private Frame readFrame(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame frame = FrameDecoder.decode(received, Protocol.DEFAULT_MAX_FRAME_SIZE);
            if (frame != null) {
                received.discardReadBytes();
                return frame;
            }
            if (eof) {
                return null;
            }
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMillis));
            int n;
            try {
                n = in.read(chunk);
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                // a reset counts as the end of the connection
                eof = true;
                return null;
            }
            if (n < 0) {
                eof = true;
            } else {
                received.writeBytes(chunk, 0, n);
            }
        }
    }
}
