package io.tunnelmq.server.store.postgres;

import io.tunnelmq.server.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.sql.DataSource;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The writer thread's own failures: no write is left waiting for a thread that is gone. */
@Timeout(30)
class GroupCommitterTest {

    @Test
    void aWriterThatDiesOfAnErrorFailsItsWritesAndEveryLaterOne() throws Exception {
        DataSource dataSource = mock(DataSource.class);
        when(dataSource.getConnection()).thenThrow(new NoClassDefFoundError("org/postgresql/jdbc/PgConnection"));
        try (GroupCommitter writer = new GroupCommitter(dataSource, "db.example:5432", UUID.randomUUID())) {
            CompletableFuture<Void> first = writer.submit(List.of(), false);
            assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StoreException.class).hasMessageContaining("failed unexpectedly")
                    .hasMessageContaining("NoClassDefFoundError");

            for (int i = 0; i < 3; i++) {
                CompletableFuture<Void> later = writer.submit(List.of(), false);
                assertThatThrownBy(() -> later.get(10, TimeUnit.SECONDS)).as("a write after the writer died")
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StoreException.class);
            }
        }
    }

    @Test
    void aWriteAfterCloseFailsAtOnce() {
        DataSource dataSource = mock(DataSource.class);
        GroupCommitter writer = new GroupCommitter(dataSource, "db.example:5432", UUID.randomUUID());
        writer.close();
        CompletableFuture<Void> late = writer.submit(List.of(), true);
        assertThat(late).isCompletedExceptionally();
        assertThatThrownBy(late::join).cause().hasMessageContaining("is closed");
    }
}
