package io.tunnelmq.server.net;

import io.tunnelmq.server.security.FileWatch;
import io.tunnelmq.server.session.BrokerCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The TLS port's context, made again whenever the key store, the trust store or the certificate users file changes
 * (each read every second, {@link FileWatch}), so that a renewed certificate is served without a restart: new
 * connections get the new context, open ones keep the session they have. Files that cannot be used (a store copied
 * halfway, one under a new password, a broken users line) are refused with an ERROR, and the context in force stays.
 */
final class TlsReloader implements Supplier<ServerTls.Context>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TlsReloader.class);

    private final TlsSettings settings;
    private final BrokerCounters counters;
    private final FileWatch watch;
    private volatile ServerTls.Context current;
    /** Why the files' latest versions are not in force, or null. */
    private volatile String problem;

    private TlsReloader(TlsSettings settings, BrokerCounters counters, Map<Path, byte[]> baselines,
                        ServerTls.Context first, long pollMillis) {
        this.settings = settings;
        this.counters = counters;
        this.current = first;
        counters.tlsCertificateServed(first.expires());
        this.watch = FileWatch.start(baselines, pollMillis, "tmq-broker-tls-files", new FileWatch.Listener() {
            @Override
            public void changed(Path file, byte[] content) {
                reload(file);
            }

            @Override
            public void unreadable(Path file, IOException e) {
                counters.tlsReloadFailed();
                problem = "the TLS file " + file + " cannot be read: " + e;
                log.error("{}; TLS keeps what it had", problem);
            }
        });
    }

    /**
     * Makes the context and watches its files until {@link #close()}, counting reloads in {@code counters}.
     *
     * @throws IllegalArgumentException as {@link ServerTls#open} does
     */
    static TlsReloader open(TlsSettings settings, BrokerCounters counters) {
        Map<Path, byte[]> baselines = new LinkedHashMap<>();
        // read before the context is made: a change in between is seen as one, never missed
        for (Path file : files(settings)) {
            baselines.put(file, readOrNull(file));
        }
        ServerTls.Context first = ServerTls.open(settings);
        return new TlsReloader(settings, counters, baselines, first, FileWatch.POLL_MILLIS);
    }

    /** The context new connections get. */
    @Override
    public ServerTls.Context get() {
        return current;
    }

    /** Why the TLS files' latest versions are not in force (they cannot be read or used), or null. */
    String problem() {
        return problem;
    }

    /** Stops watching the files. */
    @Override
    public void close() {
        watch.close();
    }

    /** One file changed: the whole context is made again from all of them, one reload at a time. */
    private synchronized void reload(Path changed) {
        ServerTls.Context next;
        try {
            next = ServerTls.open(settings);
        } catch (IllegalArgumentException e) {
            counters.tlsReloadFailed();
            problem = changed + " changed, but TLS cannot use it: " + e.getMessage();
            log.error("{}; new connections get the TLS they had until it is fixed", problem);
            return;
        }
        counters.tlsCertificateServed(next.expires());
        counters.tlsReloaded(); // counted before it is served: whoever sees the new certificate sees it counted
        current = next;
        problem = null;
        log.info("TLS reloaded after {} changed: {}; new connections get it, open ones keep theirs", changed,
                next.certificate());
    }

    /** The files the context is made from (a trust store is read only when client certificates are asked for). */
    private static Set<Path> files(TlsSettings settings) {
        Set<Path> files = new LinkedHashSet<>();
        files.add(settings.keyStore());
        if (settings.trustStore() != null && settings.clientAuth() != TlsSettings.ClientAuth.NONE) {
            files.add(settings.trustStore());
        }
        if (settings.certificateUsers() != null) {
            files.add(settings.certificateUsers());
        }
        return files;
    }

    private static byte[] readOrNull(Path file) {
        try {
            return FileWatch.read(file);
        } catch (IOException e) {
            return null; // the context cannot be made either, and says why
        }
    }
}
