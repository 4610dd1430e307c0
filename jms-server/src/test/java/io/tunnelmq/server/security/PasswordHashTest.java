package io.tunnelmq.server.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The users file's hash format; low iteration counts keep it fast (the count travels with each entry). */
@Timeout(10)
class PasswordHashTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void aHashIsSelfDescribingAndMatchesOnlyItsPassword() {
        PasswordHash hash = PasswordHash.of("s3cret".toCharArray(), 1_000, random);
        String text = hash.toString();
        String[] parts = text.split(":");
        assertThat(parts).hasSize(4);
        assertThat(parts[0]).isEqualTo("pbkdf2-sha256");
        assertThat(parts[1]).isEqualTo("1000");
        assertThat(Base64.getDecoder().decode(parts[2])).hasSize(PasswordHash.SALT_BYTES);
        assertThat(Base64.getDecoder().decode(parts[3])).hasSize(PasswordHash.HASH_BYTES);

        PasswordHash read = PasswordHash.parse(text);
        assertThat(read).isEqualTo(hash);
        assertThat(read.matches("s3cret".toCharArray())).isTrue();
        assertThat(read.matches("s3cret ".toCharArray())).isFalse();
        assertThat(read.matches(new char[0])).isFalse();
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        assertThat(PasswordHash.of("pw".toCharArray(), 1_000, random).toString())
                .isNotEqualTo(PasswordHash.of("pw".toCharArray(), 1_000, random).toString());
    }

    @Test
    void aKnownVectorStillMatches() {
        // RFC 7914 section 11 PBKDF2-HMAC-SHA256 vector: P="passwd", S="salt", c=1, dkLen=64 (first 32 bytes here)
        String salt = Base64.getEncoder().encodeToString("salt".getBytes());
        byte[] expected = hex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
        PasswordHash hash = PasswordHash.parse("pbkdf2-sha256:1:" + salt + ":" + Base64.getEncoder().encodeToString(expected));
        assertThat(hash.matches("passwd".toCharArray())).isTrue();
    }

    @Test
    void malformedEntriesAreRefusedWithoutQuotingTheSecret() {
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256:1000:abc")).hasMessageContaining("must read");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256:many:AAAA:AAAA"))
                .hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256:0:AAAA:AAAA")).hasMessageContaining("iterations");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256:99999999:AAAA:AAAA"))
                .hasMessageContaining("iterations");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256:1000:!!:TOPSECRET"))
                .hasMessageContaining("invalid").hasMessageNotContaining("TOPSECRET");
    }

    @Test
    void anUnmatchableHashMatchesNothing() {
        PasswordHash dummy = PasswordHash.unmatchable(1_000, random);
        assertThat(dummy.matches("".toCharArray())).isFalse();
        assertThat(dummy.matches("password".toCharArray())).isFalse();
        assertThat(dummy.iterations()).isEqualTo(1_000);
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
