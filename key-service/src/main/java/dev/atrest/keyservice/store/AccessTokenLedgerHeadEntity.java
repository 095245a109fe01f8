package dev.atrest.keyservice.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Where the revocation ledger ends (one row, id 1); {@code lastMac} null until token integrity is set up. */
@Entity
@Table(name = "access_token_ledger_head")
public class AccessTokenLedgerHeadEntity extends PanacheEntityBase {
    public static final byte ONLY_ROW = 1;

    @Id
    public byte id;

    @Column(name = "last_sequence", nullable = false)
    public long lastSequence;

    @Column(name = "last_mac")
    public byte[] lastMac;
}
