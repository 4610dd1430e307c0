package io.tunnelmq.server.store.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Starts the tests' embedded PostgreSQL (from the binaries Maven delivered) and keeps it running until stdin closes
 * or Ctrl-C, for trying {@code store=postgresql} or measuring it by hand (it is not a test):
 * {@code java -cp <jms-server test classpath> io.tunnelmq.server.store.postgres.LocalPostgresProgram [port]}.
 */
public final class LocalPostgresProgram {
    private LocalPostgresProgram() {
    }

    public static void main(String[] args) throws Exception {
        // durable as a production database is (the embedded default turns fsync and synchronous commit off)
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on");
        if (args.length > 0) {
            builder.setPort(Integer.parseInt(args[0]));
        }
        try (EmbeddedPostgres postgres = builder.start()) {
            System.out.println("postgresql.url=jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
            System.out.println("postgresql.user=postgres");
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until stdin closes
            }
        }
    }
}
