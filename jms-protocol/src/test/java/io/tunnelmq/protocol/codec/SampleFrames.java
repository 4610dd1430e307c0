package io.tunnelmq.protocol.codec;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Permission;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.*;
import io.tunnelmq.protocol.message.BodyType;
import io.tunnelmq.protocol.message.ProducerStamp;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.protocol.message.WireMessage;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One or more fully populated sample frames per frame type, for round-trip tests. */
final class SampleFrames {
    private SampleFrames() {
    }

    static WireMessage fullMessage() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("b", true);
        props.put("y", (byte) -3);
        props.put("s", (short) 300);
        props.put("i", 42);
        props.put("l", Long.MAX_VALUE);
        props.put("f", 1.5f);
        props.put("d", -2.25d);
        props.put("str", "héllo wörld ✓");
        props.put("c", 'x');
        props.put("bytes", new byte[] {1, 2, 3});
        props.put("nothing", null);
        return new WireMessage(WireDestination.queue("orders/eu:1=x"), "ID:abc-1", 1_700_000_000_000L, "corr-7",
                new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.1"), "order", true, 9,
                1_800_000_000_000L, 1_700_000_000_500L, props, BodyType.TEXT,
                "payload ✓".getBytes(StandardCharsets.UTF_8));
    }

    static WireMessage minimalMessage() {
        return new WireMessage(WireDestination.topic("t"), null, 0, null, null, null, false, 0, 0, 0, null,
                BodyType.MESSAGE, null);
    }

    static Map<FrameType, List<Frame>> all() {
        Map<FrameType, List<Frame>> m = new EnumMap<>(FrameType.class);
        m.put(FrameType.HELLO, List.of(
                new Hello(Protocol.VERSION, "client-1", "alice", "s3cret", 10_000, Map.of("lockDuration", 30_000L)),
                new Hello(Protocol.VERSION, "client-1", null, null, 3_000, Map.of(Hello.OPTION_RESUME, "lx1-7",
                        Hello.OPTION_RESUME_KEY, "q3Jx9vT0bLw2kQ1mZc8aRg", Hello.OPTION_PEERS, true)),
                new Hello(Protocol.VERSION, null, null, null, 0, null)));
        m.put(FrameType.WELCOME, List.of(new Welcome(1, "conn-9", 5_000, 4L << 20, 1 << 24, "0.1.0"),
                new Welcome(1, "conn-10", 0, 0, 4096, null, 1_700_000_000_123L),
                new Welcome(1, "conn-11", 3_000, 1024, 4096, "1.0", 5L, List.of("b2.example:9494", "[::1]:9495")),
                new Welcome(1, "conn-12", 3_000, 1024, 4096, "1.0", 5L, List.of(), "3f1c0a9e-store"),
                new Welcome(1, "conn-13", 3_000, 1024, 4096, "1.0", 5L, List.of("b2.example:9494"), "s"),
                new Welcome(1, "conn-14", 3_000, 1024, 4096, "1.0", 5L, List.of(), null, true),
                new Welcome(1, "conn-15", 3_000, 1024, 4096, "1.0", 5L, List.of("b3:1"), "s", true),
                new Welcome(1, "conn-16", 3_000, 1024, 4096, "1.0", 5L, List.of(), null, false, true)));
        m.put(FrameType.HEARTBEAT, List.of(Heartbeat.INSTANCE));
        m.put(FrameType.DISCONNECT, List.of(new Disconnect(77)));
        m.put(FrameType.WINDOW_UPDATE, List.of(new WindowUpdate(0), new WindowUpdate(1L << 40),
                new WindowUpdate(0, "the broker's disk limit is reached"), new WindowUpdate(4096, null, 0),
                new WindowUpdate(0, "full", 1L << 42)));
        m.put(FrameType.OK, List.of(new Ok(0, 1, 0), new Ok(3, Long.MAX_VALUE, 123_456_789L)));
        m.put(FrameType.ERROR, List.of(new ErrorFrame(0, 0, ErrorCode.MALFORMED_FRAME, "bad"),
                new ErrorFrame(5, 12, ErrorCode.INVALID_SELECTOR, "selector 'a >' is invalid at position 3"),
                new ErrorFrame(5, 13, ErrorCode.LOCK_EXPIRED, "2 locks lost", new long[] {4, 9})));
        m.put(FrameType.OPEN_SESSION, List.of(new OpenSession(1, 2, true, 0), new OpenSession(65_000, 3, false, 2)));
        m.put(FrameType.CLOSE_SESSION, List.of(new CloseSession(4, 9)));
        m.put(FrameType.CREATE_CONSUMER, List.of(
                new CreateConsumer(1, 5, 1, WireDestination.queue("q"), null, false, null, false, false, 0),
                new CreateConsumer(2, 6, 7, WireDestination.topic("t"), "a > 3 AND b LIKE 'x%'", true, "sub", true,
                        true, 1000),
                new CreateConsumer(3, 7, 8, WireDestination.queue("big"), null, false, null, false, false, 10,
                        1L << 20),
                new CreateConsumer(4, 8, 9, WireDestination.topic("t"), null, false, "sub", true, false, 10, 0,
                        List.of("ID:abc-1", "ID:ünïcode-2"))));
        m.put(FrameType.CLOSE_CONSUMER, List.of(new CloseConsumer(1, 8, 3)));
        m.put(FrameType.SEND, List.of(new Send(1, 10, fullMessage()), new Send(2, 11, minimalMessage()),
                new Send(3, 12, fullMessage(), new ProducerStamp(
                        new java.util.UUID(0x0123_4567_89ab_cdefL, -2L), Long.MAX_VALUE)),
                new Send(4, 13, minimalMessage(), new ProducerStamp(java.util.UUID.randomUUID(), 1)),
                new Send(5, Protocol.NO_REPLY, minimalMessage())));
        m.put(FrameType.SEND_FAILED, List.of(new SendFailed(1, ErrorCode.NOT_AUTHORIZED, "ID:c1-p1-7", "no"),
                new SendFailed(2, ErrorCode.RESOURCE_EXHAUSTED, null, "")));
        m.put(FrameType.DELIVER, List.of(new Deliver(1, 2, 99L, 1, 1_700_000_060_000L, fullMessage()),
                new Deliver(3, 4, -5L, 11, 0, minimalMessage())));
        m.put(FrameType.CREDIT, List.of(new Credit(1, 2, 500), new Credit(1, 2, 0, 65_536), new Credit(3, 4, 1, 10),
                new Credit(3, 4, 0, 0, Credit.SET), new Credit(3, 4, 0, 0, Credit.WAITING),
                new Credit(3, 4, 100, 0, Credit.SET | Credit.WAITING)));
        m.put(FrameType.LOCKS_RENEWED, List.of(new LocksRenewed(1, 18, 4096, new long[] {1_700_000_060_000L, 0}),
                new LocksRenewed(2, 19, 0, new long[0])));
        m.put(FrameType.SETTLE, List.of(new Settle(1, 0, SettleOutcome.COMPLETE, new long[] {1, 2, 3}, null),
                new Settle(2, 14, SettleOutcome.DEAD_LETTER, new long[] {9}, "poison"),
                new Settle(2, 15, SettleOutcome.RENEW, new long[0], null),
                new Settle(2, 0, SettleOutcome.TAKEN, new long[] {7, 8}, null)));
        m.put(FrameType.REVOKE, List.of(new Revoke(1, 2, new long[] {4, 5})));
        m.put(FrameType.SETTLE_FAILED, List.of(new SettleFailed(1, SettleOutcome.COMPLETE, ErrorCode.LOCK_EXPIRED,
                        "could not complete 1 of 2 lock token(s)", new long[] {7}),
                new SettleFailed(2, SettleOutcome.TAKEN, ErrorCode.UNKNOWN_LOCK_TOKEN, "", new long[0])));
        m.put(FrameType.COMMIT, List.of(new Commit(1, 16),
                new Commit(2, 17, new ProducerStamp(java.util.UUID.randomUUID(), 3))));
        m.put(FrameType.COMMIT_QUERY, List.of(new CommitQuery(1, 18, new ProducerStamp(new java.util.UUID(1, 2), 1))));
        m.put(FrameType.ROLLBACK, List.of(new Rollback(1, 17)));
        m.put(FrameType.UNSUBSCRIBE, List.of(new Unsubscribe(1, 20, "orders-sub ✓")));
        m.put(FrameType.BROWSE, List.of(new Browse(1, 21, WireDestination.queue("q"), null, 0, 100),
                new Browse(2, 22, new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.1"), "a = 1", 300,
                        50), new Browse(3, 23, WireDestination.queue("q"), "b > 2", 0, 100, 0x2800_0000_0000_1234L)));
        m.put(FrameType.BROWSED, List.of(new Browsed(1, 21, 4096, List.of(fullMessage(), minimalMessage()), false),
                new Browsed(2, 22, 0, List.of(), true),
                new Browsed(3, 23, 512, List.of(minimalMessage()), false, 0x2800_0000_0000_1234L)));
        m.put(FrameType.CHECK_ACCESS, List.of(new CheckAccess(25, WireDestination.queue("orders.eu"),
                        Permission.SEND),
                new CheckAccess(26, WireDestination.topic("prices.>"), Permission.BROWSE),
                new CheckAccess(27, new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.1"),
                        Permission.ADMIN)));
        m.put(FrameType.CREATE_TEMPORARY, List.of(new CreateTemporary(23,
                new WireDestination(WireDestination.Kind.TEMPORARY_QUEUE, "tmp.queue.x.1")),
                new CreateTemporary(24, new WireDestination(WireDestination.Kind.TEMPORARY_TOPIC, "tmp.topic.x.2"))));
        m.put(FrameType.DELETE_TEMPORARY, List.of(new DeleteTemporary(25,
                new WireDestination(WireDestination.Kind.TEMPORARY_TOPIC, "tmp.topic.x.2"))));
        m.put(FrameType.ADMIN_REQUEST, List.of(new AdminRequest(28, AdminOperation.QUEUES, Map.of()),
                new AdminRequest(29, AdminOperation.MOVE, new java.util.LinkedHashMap<>(Map.of(
                        AdminOperation.FROM, "DLQ.orders", AdminOperation.TO, "orders ✓",
                        AdminOperation.SELECTOR, "color = 'red'", AdminOperation.COPY, "true"))),
                new AdminRequest(30, AdminOperation.CLOSE, Map.of(AdminOperation.ID, "")),
                new AdminRequest(31, AdminOperation.DISCONNECT, Map.of(AdminOperation.USER, "alice"))));
        m.put(FrameType.ADMIN_REPLY, List.of(new AdminReply(28, List.of("name", "messages"),
                        List.of(List.of("orders", "12"), List.of("DLQ.orders ✓", ""))),
                new AdminReply(31, List.of("closed"), List.of()),
                new AdminReply(32, List.of(), List.of(List.of()))));
        return m;
    }
}
