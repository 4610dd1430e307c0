package io.tunnelmq.server.net;

import io.netty.channel.Channel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.Permission;
import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.AdminReply;
import io.tunnelmq.protocol.frame.AdminRequest;
import io.tunnelmq.protocol.frame.ErrorFrame;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.destination.BrokerException;
import io.tunnelmq.server.management.AdminAuthority;
import io.tunnelmq.server.management.AdminCommands;
import io.tunnelmq.server.management.AdminTable;
import io.tunnelmq.server.management.Management;
import io.tunnelmq.server.selector.SelectorException;
import io.tunnelmq.server.session.BrokerContext;
import io.tunnelmq.server.security.UserAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The admin channel: {@link AdminRequest}s of logged-in connections, run one at a time on a thread of their own
 * (an operation may wait for the store; never on an event loop) and answered with an {@link AdminReply} or an
 * {@link ErrorFrame}. When the broker checks permissions, each operation needs {@code admin} as
 * {@link AdminCommands} says; a refusal names user, operation and permission, is counted and logged.
 */
final class AdminChannel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminChannel.class);
    /** Room in a reply frame for its header and counts. */
    private static final int REPLY_OVERHEAD = 1024;

    private final AdminCommands commands;
    private final BrokerContext broker;
    private final int maxFrameSize;
    private final ExecutorService runner;

    /** @param management null: the broker has no management service, and admin requests are refused */
    AdminChannel(Management management, BrokerContext broker, int maxFrameSize) {
        this.commands = management == null ? null : new AdminCommands(management);
        this.broker = broker;
        this.maxFrameSize = maxFrameSize;
        this.runner = Executors.newSingleThreadExecutor(new DefaultThreadFactory("tmq-broker-admin", true));
    }

    /**
     * Runs the request for the connection's user and answers on {@code channel}, by way of {@code tasks} (the
     * connection's event loop). On the connection's event loop.
     */
    void handle(Channel channel, Executor tasks, AdminRequest request, String user, String connection) {
        if (commands == null) {
            channel.writeAndFlush(error(request, ErrorCode.ILLEGAL_STATE, "this broker runs without management"));
            return;
        }
        try {
            runner.execute(() -> {
                Object answer = run(request, user, connection);
                LoopCalls.run(tasks, () -> channel.writeAndFlush(answer), () -> { }); // shut down: it closes anyway
            });
        } catch (RejectedExecutionException e) {
            channel.writeAndFlush(error(request, ErrorCode.SHUTTING_DOWN, "the broker is shutting down"));
        }
    }

    private Object run(AdminRequest request, String user, String connection) {
        String operation = request.operation().word();
        try {
            AdminTable table = commands.run(request.operation(), request.arguments(), authority(user));
            log.debug("{}: admin {} {}", connection, operation, request.arguments().keySet());
            return fitted(request.requestId(), table);
        } catch (BrokerException e) {
            if (e.code() == ErrorCode.NOT_AUTHORIZED) {
                broker.counters().adminDenied();
                log.info("{}: admin {} refused: {}", connection, operation, e.getMessage());
            }
            return error(request, e.code(), operation + " refused: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return error(request, e.getCause() instanceof SelectorException ? ErrorCode.INVALID_SELECTOR
                    : ErrorCode.INVALID_DESTINATION, e.getMessage());
        } catch (IllegalStateException e) {
            return error(request, ErrorCode.ILLEGAL_STATE, e.getMessage());
        } catch (RuntimeException e) {
            log.error("{}: admin {} failed", connection, operation, e);
            return error(request, ErrorCode.INTERNAL_ERROR, operation + " failed in the broker: " + e);
        }
    }

    /** The reply, with rows left off the end if they would not fit one frame (a browse of large bodies). */
    private AdminReply fitted(long requestId, AdminTable table) {
        long budget = maxFrameSize - REPLY_OVERHEAD;
        long size = 0;
        for (String column : table.columns()) {
            size += 4 + 3L * column.length();
        }
        List<List<String>> rows = new ArrayList<>(table.rows().size());
        for (List<String> row : table.rows()) {
            long rowSize = 4;
            for (String value : row) {
                rowSize += 4 + 3L * value.length(); // UTF-8 takes at most 3 bytes per char
            }
            if (size + rowSize > budget) {
                log.debug("admin reply cut to {} of {} rows to fit a frame", rows.size(), table.rows().size());
                break;
            }
            size += rowSize;
            rows.add(row);
        }
        return new AdminReply(requestId, table.columns(), rows);
    }

    private AdminAuthority authority(String user) {
        UserAccess access = broker.access().forUser(user); // a fresh one: UserAccess belongs to one thread
        if (!access.enabled()) {
            return AdminAuthority.ALL;
        }
        return new AdminAuthority() {
            @Override
            public boolean mayAdminister(WireDestination destination) {
                return access.allows(Permission.ADMIN, destination);
            }

            @Override
            public void requireAdminister(WireDestination destination, String operation) {
                access.require(Permission.ADMIN, destination);
            }

            @Override
            public void requireAdministerAll(String operation) {
                access.requireOnEveryQueue(Permission.ADMIN, operation);
            }
        };
    }

    private static ErrorFrame error(AdminRequest request, ErrorCode code, String message) {
        return new ErrorFrame(Protocol.CONTROL_CHANNEL, request.requestId(), code, message);
    }

    @Override
    public void close() {
        runner.shutdownNow();
        try {
            runner.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
