package dev.atrest.keyservice.audit;

/** How the chain compares with the heads anchored outside the database (the anchor file). */
public enum AnchorStatus {
    /** Nothing anchored to compare with: anchoring is off, or nothing was anchored yet. */
    NONE,
    /** Every anchored head within the stored records is there with its anchored MAC, and the chain reaches the newest. */
    MATCHED,
    /** The chain ends before the newest anchored record, or holds an anchored record with another MAC. */
    MISMATCH,
    /** The anchor file does not verify (forged, edited or corrupted): nothing in it is trusted. */
    INVALID,
    /** The walk stopped at an earlier problem before reaching an anchored record. */
    NOT_REACHED
}
