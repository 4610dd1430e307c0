package io.tunnelmq.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The TLS scenarios' key material, made once per comparison in its work directory with the JDK's {@code keytool}: a
 * self-signed EC P-256 certificate for 127.0.0.1 in {@code broker.p12} and a trust store holding it in {@code
 * trust.p12} (both PKCS12, both with {@link #PASSWORD}: throw-away keys for a loopback benchmark).
 *
 * @param keyStore   the brokers' key store
 * @param trustStore the clients' trust store
 */
record TlsKeys(Path keyStore, Path trustStore) {
    static final String PASSWORD = "bench-only";

    /** The keys in {@code directory}, made now if they are not there yet. */
    static TlsKeys in(Path directory) throws IOException, InterruptedException {
        TlsKeys keys = new TlsKeys(directory.resolve("broker.p12"), directory.resolve("trust.p12"));
        if (Files.exists(keys.trustStore())) {
            return keys;
        }
        Path certificate = directory.resolve("broker.cer");
        keytool(directory, "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "30", "-storetype", "PKCS12", "-keystore", keys.keyStore().toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool(directory, "-exportcert", "-alias", "broker", "-keystore", keys.keyStore().toString(),
                "-storepass", PASSWORD, "-file", certificate.toString());
        keytool(directory, "-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", keys.trustStore().toString(), "-storepass", PASSWORD);
        return keys;
    }

    private static void keytool(Path directory, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Path log = directory.resolve("keytool.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool " + args[0] + " failed; see " + log);
        }
    }
}
