package io.tunnelmq.server.store.pages;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** The segment files of one page directory: creating, finding and deleting them, and the bytes they hold. */
final class PageSegments {
    private static final Logger log = LoggerFactory.getLogger(PageSegments.class);
    private static final Pattern NAME = Pattern.compile("page-\\d+\\.seg");

    final Path directory;
    private final PageChannel.Opener opener;
    private final Map<Long, PageSegment> live = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();
    private long nextId = 1;

    PageSegments(Path directory, PageChannel.Opener opener) {
        this.directory = directory;
        this.opener = opener;
    }

    /**
     * Deletes the segment files a previous run left (non-persistent messages do not survive a restart). Only files
     * named like segments go: anything else is left alone with a WARN, in case the directory was set to the wrong
     * place.
     */
    static void deleteLeftovers(Path directory) throws IOException {
        int files = 0;
        long size = 0;
        List<Path> strangers = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (NAME.matcher(entry.getFileName().toString()).matches() && Files.isRegularFile(entry)) {
                    size += Files.size(entry);
                    Files.delete(entry);
                    files++;
                } else {
                    strangers.add(entry);
                }
            }
        }
        if (files > 0) {
            log.info("Deleted {} page file(s) ({} bytes) left in {} by a previous run: non-persistent messages do not"
                    + " survive a restart", files, size, directory);
        }
        if (!strangers.isEmpty()) {
            log.warn("The page directory {} holds {} entries that are not page files (left alone): {}", directory,
                    strangers.size(), strangers.size() > 5 ? strangers.subList(0, 5) + "..." : strangers);
        }
    }

    /** A new, empty segment file. Called under the writer's lock only. */
    PageSegment create() throws IOException {
        long id = nextId;
        if (id > Integer.MAX_VALUE) {
            throw new IOException("the page file in " + directory + " has used all " + Integer.MAX_VALUE
                    + " segment numbers; restart the broker to start again from 1");
        }
        Path file = directory.resolve("page-" + id + ".seg");
        PageSegment segment = new PageSegment(id, file, opener.create(file));
        nextId++;
        live.put(id, segment);
        return segment;
    }

    /** The live segment a ref points into, or null if there is none (freed, or never written). */
    PageSegment find(long ref) {
        return ref <= 0 ? null : live.get(PageRef.segment(ref));
    }

    void grew(int recordBytes) {
        bytes.addAndGet(recordBytes);
    }

    long bytes() {
        return bytes.get();
    }

    int count() {
        return live.size();
    }

    /** Closes and deletes a segment whose deletion the caller claimed. Never throws: a failure is logged. */
    void delete(PageSegment segment) {
        live.remove(segment.id);
        bytes.addAndGet(-segment.appended);
        try {
            segment.channel.close();
            Files.deleteIfExists(segment.file);
        } catch (IOException e) {
            log.warn("Could not delete the page file {} whose messages were all freed ({}); it is scratch data that"
                    + " the next start deletes", segment.file, e.toString());
        }
    }

    /** Deletes every segment, and the directory unless something else is in it (close of the page file). */
    void deleteAll() {
        for (PageSegment segment : List.copyOf(live.values())) {
            if (segment.claimForClose()) {
                delete(segment);
            }
        }
        try {
            Files.deleteIfExists(directory);
        } catch (DirectoryNotEmptyException e) {
            log.debug("The page directory {} is left: it holds other files", directory);
        } catch (IOException e) {
            log.warn("Could not delete the page directory {} ({})", directory, e.toString());
        }
    }
}
