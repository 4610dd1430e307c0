package io.tunnelmq.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where persistent messages are kept: memory for an embedded broker unless asked, the journal for the command line. */
@Timeout(10)
class StoreConfigTest {

    @Test
    void anEmbeddedBrokerKeepsMemoryUnlessGivenAJournalAndEveryCopyKeepsTheChoice(@TempDir Path dir) {
        assertThat(BrokerConfig.defaults().store()).isEqualTo(BrokerConfig.StoreKind.MEMORY);
        BrokerConfig journal = BrokerConfig.defaults().withJournal(dir);
        assertThat(journal.store()).isEqualTo(BrokerConfig.StoreKind.JOURNAL);
        assertThat(journal.dataDir()).isEqualTo(dir);
        assertThat(journal.withPort(0).withExpiryQueue("E").withQueueMaxBytes("q", 5).withMaxDeliveryCount(2).store())
                .isEqualTo(BrokerConfig.StoreKind.JOURNAL);
    }

    @Test
    void theCommandLineKeepsAJournalUnlessTheConfigFileSaysMemory(@TempDir Path dir) throws Exception {
        assertThat(BrokerArguments.parse(new String[] {"--data", dir.toString()}).config().store())
                .isEqualTo(BrokerConfig.StoreKind.JOURNAL);
        Path memory = Files.writeString(dir.resolve("m.properties"), "store=memory\n");
        assertThat(BrokerArguments.parse(new String[] {"--config", memory.toString()}).config().store())
                .isEqualTo(BrokerConfig.StoreKind.MEMORY);
        Path journal = Files.writeString(dir.resolve("j.properties"), "store=journal\n");
        assertThat(BrokerConfigFile.apply(BrokerConfig.defaults(), journal).store())
                .isEqualTo(BrokerConfig.StoreKind.JOURNAL);
    }

    @Test
    void theBrokersOverOneDatabaseTakeTheirHeartbeatAndStaleTimesFromTheConfigFile(@TempDir Path dir)
            throws Exception {
        assertThat(BrokerConfig.defaults().postgresql().heartbeatMillis()).isEqualTo(1000);
        assertThat(BrokerConfig.defaults().postgresql().staleMillis()).isEqualTo(10_000);
        // the stale time is set before the heartbeat: each key stands alone, whatever the order
        Path file = Files.writeString(dir.resolve("p.properties"), "store=postgresql\n"
                + "postgresql.url=jdbc:postgresql://db:5432/tmq\npostgresql.staleMillis=30000\n"
                + "postgresql.heartbeatMillis=5000\n");
        BrokerConfig config = BrokerConfigFile.apply(BrokerConfig.defaults(), file);
        assertThat(config.postgresql().heartbeatMillis()).isEqualTo(5000);
        assertThat(config.postgresql().staleMillis()).isEqualTo(30_000);
        Path bad = Files.writeString(dir.resolve("b.properties"), "postgresql.heartbeatMillis=0\n");
        assertThatThrownBy(() -> BrokerConfigFile.apply(BrokerConfig.defaults(), bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postgresql.heartbeatMillis");
    }

    @Test
    void anUnknownStoreIsRefusedNamingTheChoices(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("b.properties"), "store=disk\n");
        assertThatThrownBy(() -> BrokerConfigFile.apply(BrokerConfig.defaults(), bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("store='disk' must be journal").hasMessageContaining("or memory");
    }
}
