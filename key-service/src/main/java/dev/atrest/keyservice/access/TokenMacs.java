package dev.atrest.keyservice.access;

import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.crypto.KeyedMac;
import dev.atrest.keyservice.domain.AccessToken;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * The MACs that make access-token rows and the revocation ledger authentic, under a key derived from the
 * seal key (never in the database): whoever can only write to the database can neither forge a token row
 * nor change what one grants, nor re-forge the ledger after removing a revocation from it.
 *
 * <p>Every encoding starts with its own label (so a row's MAC can never pass for a ledger entry's) and is
 * canonical ({@link KeyedMac}), with project ids sorted and counted.
 */
public final class TokenMacs {
    public static final int MAC_BYTES = 32;

    private final KeyedMac row;
    private final KeyedMac revocation;
    private final KeyedMac genesis;

    /** Copies {@code macKey}; the caller still owns it. */
    public TokenMacs(KeyMaterial macKey) {
        this.row = new KeyedMac(macKey, "atrest access token row v1");
        this.revocation = new KeyedMac(macKey, "atrest access token revocation v1");
        this.genesis = new KeyedMac(macKey, "atrest access token revocation ledger genesis v1");
    }

    /** The MAC of a token row: everything it grants, and the hash of its secret; not its revocation. */
    public byte[] rowMac(AccessToken token, String tokenSha256) {
        KeyedMac.Fields fields = row.fields().text(token.tokenId()).text(tokenSha256).text(token.name())
                .text(token.role().name()).flag(token.allProjects()).number(token.projectIds().size());
        token.projectIds().stream().sorted().forEach(fields::text);
        return fields.time(token.createTime()).optionalTime(token.expireTime()).text(token.createdBy()).mac();
    }

    public boolean rowVerifies(AccessToken token, String tokenSha256, byte[] storedMac) {
        return storedMac != null && MessageDigest.isEqual(rowMac(token, tokenSha256), storedMac);
    }

    /** What the ledger's first entry chains from: only the holder of the key can write it into the head. */
    public byte[] genesis() {
        return genesis.fields().mac();
    }

    /** The MAC of ledger entry {@code sequence}, which follows the entry (or genesis) whose MAC is {@code previousMac}. */
    public byte[] revocationMac(byte[] previousMac, long sequence, String tokenId, Instant revokeTime) {
        return revocation.fields().bytes(previousMac).number(sequence).text(tokenId).time(revokeTime).mac();
    }

    @Override
    public String toString() {
        return "TokenMacs[key redacted]";
    }
}
