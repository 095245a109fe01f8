package dev.atrest.keyservice.audit;

/** Where the stored chain says it ends: the last record's sequence and MAC (0 and zeros when empty). */
public record ChainHead(long lastSequence, byte[] lastMac) {
    public ChainHead {
        lastMac = lastMac.clone();
    }

    @Override
    public byte[] lastMac() {
        return lastMac.clone();
    }
}
