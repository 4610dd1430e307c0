package io.tunnelmq.server.session;

import io.tunnelmq.protocol.ErrorCode;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.server.destination.BrokerException;
import io.tunnelmq.server.queue.SettleResult;

import java.util.Arrays;
import java.util.Locale;

/**
 * The tokens of one Settle that could not be settled (the others were), and the refusal that names them all: the
 * error frame lists every token, the message says how many failed and why, naming the first few. The code is
 * {@code LOCK_EXPIRED} when any lock expired (those messages come again), else {@code UNKNOWN_LOCK_TOKEN}.
 */
final class SettleFailures {
    /** Tokens a message names per reason; the frame carries all of them. */
    static final int NAMED = 5;

    private final int channel;
    private final SettleOutcome outcome;
    private final int requested;
    private long[] expired = new long[0];
    private long[] unknown = new long[0];

    SettleFailures(int channel, SettleOutcome outcome, int requested) {
        this.channel = channel;
        this.outcome = outcome;
        this.requested = requested;
    }

    /** Adds a token whose result was not OK. */
    void add(long token, SettleResult result) {
        switch (result) {
            case OK -> throw new IllegalArgumentException("token " + token + " was settled");
            case LOCK_EXPIRED -> expired = append(expired, token);
            case UNKNOWN_LOCK_TOKEN -> unknown = append(unknown, token);
        }
    }

    boolean any() {
        return expired.length + unknown.length > 0;
    }

    /** The refusal naming every failed token, in the order of the request within each reason. */
    BrokerException refusal() {
        int failed = expired.length + unknown.length;
        String verb = outcome.name().toLowerCase(Locale.ROOT).replace('_', '-');
        StringBuilder message = new StringBuilder("could not ").append(verb).append(' ').append(failed).append(" of ")
                .append(requested).append(" lock token(s) on session channel ").append(channel)
                .append(" (the others were settled): ");
        if (expired.length > 0) {
            message.append(expired.length).append(" lock(s) expired first and the message(s) were made available"
                    + " again ").append(named(expired))
                    .append(" — settle within the lock duration, renew the lock, or ask for a longer lockDuration");
        }
        if (unknown.length > 0) {
            message.append(expired.length > 0 ? "; " : "").append(unknown.length)
                    .append(" token(s) not held by this session ").append(named(unknown))
                    .append(" — never delivered here, already settled, or held by another session");
        }
        long[] all = Arrays.copyOf(expired, failed);
        System.arraycopy(unknown, 0, all, expired.length, unknown.length);
        return new BrokerException(expired.length > 0 ? ErrorCode.LOCK_EXPIRED : ErrorCode.UNKNOWN_LOCK_TOKEN,
                message.toString(), all);
    }

    /** "(lock token 5)" or "(lock tokens 5, 6, … 3 more)". */
    private static String named(long[] tokens) {
        StringBuilder s = new StringBuilder(tokens.length == 1 ? "(lock token " : "(lock tokens ");
        for (int i = 0; i < Math.min(NAMED, tokens.length); i++) {
            s.append(i == 0 ? "" : ", ").append(tokens[i]);
        }
        return s.append(tokens.length > NAMED ? ", … " + (tokens.length - NAMED) + " more)" : ")").toString();
    }

    private static long[] append(long[] tokens, long token) {
        long[] grown = Arrays.copyOf(tokens, tokens.length + 1);
        grown[tokens.length] = token;
        return grown;
    }
}
