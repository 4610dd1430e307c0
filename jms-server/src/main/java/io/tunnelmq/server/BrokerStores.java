package io.tunnelmq.server;

import io.tunnelmq.server.store.JournalStore;
import io.tunnelmq.server.store.MemoryStore;
import io.tunnelmq.server.store.MessageStore;
import io.tunnelmq.server.store.RecordLog;
import io.tunnelmq.server.store.StoreException;
import io.tunnelmq.server.store.StoreFigures;
import io.tunnelmq.server.store.StoreOpenException;
import io.tunnelmq.server.store.pages.DiskPages;
import io.tunnelmq.server.store.pages.PageFile;
import io.tunnelmq.server.store.postgres.BrokerAddress;
import io.tunnelmq.server.store.postgres.PostgresStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/** How a starting broker opens what it keeps messages in: its store, its page file, and the disk limit over them. */
final class BrokerStores {
    private static final Logger log = LoggerFactory.getLogger(BrokerStores.class);

    private BrokerStores() {
    }

    /**
     * The persistent store the config asks for. A journal that cannot be opened stops the start: a broker running on
     * with empty queues would look healthy while its stored messages wait unseen, and refuse persistent sends.
     */
    static MessageStore open(BrokerConfig config, RecordLog.Opener journal) {
        if (config.store() == BrokerConfig.StoreKind.MEMORY) {
            return new MemoryStore();
        }
        if (config.store() == BrokerConfig.StoreKind.POSTGRESQL) {
            try {
                String address = BrokerAddress.of(config.host(), config.port());
                return address == null ? PostgresStore.open(config.postgresql())
                        : PostgresStore.open(config.postgresql(), address);
            } catch (StoreException e) {
                throw new StoreOpenException(e.getMessage(), e);
            } catch (NoClassDefFoundError e) {
                throw new StoreOpenException("store=postgresql needs org.postgresql:postgresql and com.zaxxer:HikariCP"
                        + " on the class path (the standalone jms-server.jar has them; add them to an application that"
                        + " embeds the broker): " + e.getMessage(), e);
            }
        }
        try {
            return JournalStore.open(journal, config.dataDir());
        } catch (IOException | RuntimeException e) {
            throw new StoreOpenException("cannot open the journal in " + config.dataDir().toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Paging on disk ({@code <data>/pages} beside the journal) when the config asks for it and persistent messages go to
     * the journal; null otherwise (a broker without a data directory holds everything in memory).
     */
    static DiskPages openPages(BrokerConfig config, MessageStore store) {
        if (!config.paging().enabled() || !store.persistent()) {
            return null;
        }
        Path directory = config.dataDir().resolve("pages");
        try {
            return new DiskPages(store, PageFile.open(directory));
        } catch (IOException e) {
            throw new StoreOpenException("cannot open the page file in " + directory.toAbsolutePath() + ": "
                    + e.getMessage() + "; check the data directory's permissions and free space, or start with"
                    + " paging=false", e);
        }
    }

    /** The disk limit: maxDiskBytes, or a share of the data directory's space; none without a journal. */
    static long diskLimit(BrokerConfig config, MessageStore store) {
        if (!store.persistent()) {
            return Long.MAX_VALUE;
        }
        StoreFigures figures = store.figures();
        if (!figures.persistent()) {
            return Long.MAX_VALUE; // a store that reports no figures (a test's fake) cannot say how much room it has
        }
        long limit = config.paging().diskLimit(figures.diskFree(), figures.diskBytes());
        log.info("disk limit: {} MiB of messages kept on disk (maxDiskBytes{})", limit >> 20,
                config.paging().maxDiskBytes() > 0 ? "" : ": 90 % of the data directory's space");
        return limit;
    }

    static void close(DiskPages pages, MessageStore store) {
        if (pages != null) {
            pages.close();
        }
        store.close();
    }
}
