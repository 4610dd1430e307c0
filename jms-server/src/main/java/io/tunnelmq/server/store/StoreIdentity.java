package io.tunnelmq.server.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * The identity of a data directory: a random id made on the broker's first start there and kept in the file
 * {@value #FILE_NAME}, so every later broker over the same journal names the same store (and a copy of the
 * directory, which holds the same data, too).
 */
final class StoreIdentity {
    static final String FILE_NAME = "store-id";

    private StoreIdentity() {
    }

    /**
     * The directory's identity, made and kept now if it has none.
     *
     * @throws IOException naming the file if it cannot be read or written
     */
    static String of(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (id.isEmpty()) {
                throw new IOException("the store identity file " + file + " is empty; delete it only if this"
                        + " directory's journal is new (clients then cannot ask about commits made before)");
            }
            return id;
        }
        Files.createDirectories(directory);
        String id = UUID.randomUUID().toString();
        // written whole under another name and moved into place: a crash never leaves half an id
        Path temporary = directory.resolve(FILE_NAME + ".tmp");
        Files.writeString(temporary, id + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return id;
    }
}
