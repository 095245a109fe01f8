package dev.atrest.keyservice.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One entry of the revocation ledger (access/RevocationLedger): appended, never changed. */
@Entity
@Table(name = "access_token_revocation")
public class AccessTokenRevocationEntity extends PanacheEntityBase {
    @Id
    @Column(updatable = false)
    public long sequence;

    @Column(name = "token_id", nullable = false, updatable = false)
    public String tokenId;

    @Column(name = "revoke_time", nullable = false, updatable = false)
    public Instant revokeTime;

    @Column(nullable = false, updatable = false)
    public byte[] mac;

    public static AccessTokenRevocationEntity of(long sequence, String tokenId, Instant revokeTime, byte[] mac) {
        AccessTokenRevocationEntity row = new AccessTokenRevocationEntity();
        row.sequence = sequence;
        row.tokenId = tokenId;
        row.revokeTime = revokeTime;
        row.mac = mac.clone();
        return row;
    }
}
