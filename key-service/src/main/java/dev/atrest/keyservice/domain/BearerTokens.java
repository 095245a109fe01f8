package dev.atrest.keyservice.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Bearer token secrets: "atrest_" followed by 32 random bytes in base64url without padding (43
 * characters). The prefix lets secret scanners recognise a leaked token. Only the SHA-256 of a secret is
 * ever stored: a plain hash suffices because the secret is 256 random bits, not a password.
 */
public final class BearerTokens {
    public static final String PREFIX = "atrest_";
    private static final int SECRET_BYTES = 32;
    private static final Pattern FORMAT = Pattern.compile("atrest_[A-Za-z0-9_-]{43}");

    private BearerTokens() {}

    public static String newSecret(SecureRandom random) {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** "tok-" and 32 hex digits: names a token in lists and the audit log, and reveals nothing of it. */
    public static String newTokenId(SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return "tok-" + HexFormat.of().formatHex(bytes);
    }

    public static boolean isWellFormed(String secret) {
        return secret != null && FORMAT.matcher(secret).matches();
    }

    /** The stored form of a secret: its SHA-256 in lowercase hex. */
    public static String sha256Hex(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
