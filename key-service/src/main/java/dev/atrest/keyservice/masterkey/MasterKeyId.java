package dev.atrest.keyservice.masterkey;

import dev.atrest.keyservice.store.MasterKeyEntity;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names one stored wrapping of a master-key version. It changes whenever the stored wrapping does (a
 * CMK change moves the key to another root-key generation and ciphertext), so a key unwrapped through
 * an old wrapping is never found under the new one: the new wrapping is proven by a KMS call of its own.
 *
 * @param wrappingDigest SHA-256 of the root-key ciphertext (not secret: it is ciphertext already)
 */
public record MasterKeyId(String projectId, String clusterName, int version, int rootKeyGeneration, String wrappingDigest) {

    public static MasterKeyId of(MasterKeyEntity row) {
        return new MasterKeyId(row.projectId, row.clusterName, row.version, row.rootKeyGeneration,
                digest(row.wrappedKey));
    }

    private static String digest(byte[] ciphertext) {
        if (ciphertext == null) {
            return "destroyed";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ciphertext));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
        }
    }
}
