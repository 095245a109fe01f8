package dev.atrest.keyservice.audit;

/** Somewhere else an anchor is copied to once it is in the file (KMS: CloudTrail keeps it). Never blocks. */
interface AnchorCopies {
    AnchorCopies NONE = anchor -> {};

    void offer(ChainAnchor anchor);
}
