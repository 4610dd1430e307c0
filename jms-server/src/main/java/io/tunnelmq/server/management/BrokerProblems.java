package io.tunnelmq.server.management;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What an operator must fix while the broker runs on regardless: a users, permissions or TLS file changed but not
 * taken into use (it has a mistake, or cannot be read: the broker keeps what it had, and says so once in the log),
 * and a TLS certificate that expired or expires within {@link #CERTIFICATE_NOTICE}. Each source is asked when the
 * problems are: the web console shows them to an operator, the metrics count them ({@code tunnelmq_problems}) and
 * JMX lists them. Thread-safe.
 */
public final class BrokerProblems {
    /** How long before a TLS certificate expires it counts as a problem. */
    public static final Duration CERTIFICATE_NOTICE = Duration.ofDays(30);

    private final List<Supplier<String>> sources = new CopyOnWriteArrayList<>();
    private final LongSupplier certificateExpirySeconds;

    /** @param certificateExpirySeconds when the TLS certificate served expires (epoch seconds); 0 without TLS */
    BrokerProblems(LongSupplier certificateExpirySeconds) {
        this.certificateExpirySeconds = Objects.requireNonNull(certificateExpirySeconds, "certificateExpirySeconds");
    }

    /**
     * Adds a source, asked each time: it says what is wrong now, or null.
     *
     * @param meanwhile what the broker does until it is fixed, said after the problem
     */
    public void watch(Supplier<String> problem, String meanwhile) {
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(meanwhile, "meanwhile");
        sources.add(() -> {
            String now = problem.get();
            return now == null ? null : now + "; " + meanwhile;
        });
    }

    /** The problems at {@code now}: the sources' in the order they were added, then the certificate's. */
    public List<String> at(Instant now) {
        List<String> problems = new ArrayList<>();
        for (Supplier<String> source : sources) {
            String problem = source.get();
            if (problem != null) {
                problems.add(problem);
            }
        }
        long expiry = certificateExpirySeconds.getAsLong();
        if (expiry > 0) {
            Instant expires = Instant.ofEpochSecond(expiry);
            if (!expires.isAfter(now)) {
                problems.add("the TLS certificate the broker serves expired on " + expires + ": clients refuse it; put"
                        + " a renewed one in the key store (the broker takes it without a restart)");
            } else if (expires.isBefore(now.plus(CERTIFICATE_NOTICE))) {
                long days = now.until(expires, ChronoUnit.DAYS);
                problems.add("the TLS certificate the broker serves expires on " + expires + " (" + (days == 0
                        ? "within a day" : "in " + days + " day" + (days == 1 ? "" : "s")) + "): put a renewed one in"
                        + " the key store (the broker takes it without a restart)");
            }
        }
        return problems;
    }

    /** The problems now. */
    public List<String> now() {
        return at(Instant.now());
    }
}
