package io.tunnelmq.jms.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;

/**
 * Keys and self-signed certificates made at test time (EC P-256: fast to generate) and written as PKCS12 files under
 * {@code target/}; no key material is committed.
 */
final class TestCertificates {
    /** One self-signed identity: its key store (key + certificate) and a trust store holding just its certificate. */
    record Identity(Path keyStore, Path trustStore, String password, X509Certificate certificate) {
    }

    private final Path directory;
    private final SecureRandom random = new SecureRandom();

    TestCertificates() throws IOException {
        Path target = Path.of("target");
        Files.createDirectories(target);
        this.directory = Files.createTempDirectory(target, "tls-");
    }

    /**
     * A self-signed certificate for {@code subject} whose subject alternative names are the DNS names {@code dnsNames},
     * stored with {@code password}.
     */
    Identity identity(String name, String subject, String password, String... dnsNames)
            throws IOException, GeneralSecurityException {
        return identity(name, subject, password, Duration.ofDays(2), dnsNames);
    }

    /** As {@link #identity(String, String, String, String...)}, valid for {@code validity} from now. */
    Identity identity(String name, String subject, String password, Duration validity, String... dnsNames)
            throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        // through the JDK's parser: BouncyCastle's would keep the RDNs in the order written, the reverse of RFC 2253's
        X500Name x500 = X500Name.getInstance(new X500Principal(subject).getEncoded());
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(x500, new BigInteger(64, random),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), x500,
                keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (dnsNames.length > 0) {
                GeneralName[] names = new GeneralName[dnsNames.length];
                for (int i = 0; i < dnsNames.length; i++) {
                    names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(name, keys.getPrivate(), password.toCharArray(), new Certificate[] {certificate});
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry(name, certificate);
            return new Identity(write(keyStore, name + "-key.p12", password), write(trustStore,
                    name + "-trust.p12", password), password, certificate);
        } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.cert.CertIOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private Path write(KeyStore store, String file, String password) throws IOException, GeneralSecurityException {
        Path path = directory.resolve(file);
        try (OutputStream out = Files.newOutputStream(path)) {
            store.store(out, password.toCharArray());
        }
        return path;
    }
}
