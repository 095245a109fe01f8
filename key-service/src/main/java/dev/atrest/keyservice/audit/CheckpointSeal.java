package dev.atrest.keyservice.audit;

import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.crypto.KeyedMac;
import java.time.Instant;

/** MACs retention checkpoints under the checkpoint key, and tells a checkpoint the service wrote from any other. */
public final class CheckpointSeal {
    private static final String LABEL = "atrest audit checkpoint v1";

    private final KeyedMac mac;

    /** @param key the checkpoint key (HKDF of the seal key for the checkpoint purpose), copied */
    public CheckpointSeal(KeyMaterial key) {
        this.mac = new KeyedMac(key, LABEL);
    }

    /** A checkpoint after the record ({@code sequence}, {@code recordMac}, {@code recordTime}), MAC'd. */
    public AuditCheckpoint seal(long sequence, byte[] recordMac, Instant recordTime, long prunedCount, Instant now) {
        byte[] checkpointMac = fields(sequence, recordMac, recordTime, prunedCount, now).mac();
        return new AuditCheckpoint(sequence, recordMac, recordTime, prunedCount, now, checkpointMac);
    }

    public boolean verifies(AuditCheckpoint checkpoint) {
        return mac.verifies(fields(checkpoint.sequence(), checkpoint.mac(), checkpoint.recordTime(),
                checkpoint.prunedCount(), checkpoint.checkpointTime()), checkpoint.checkpointMac());
    }

    private KeyedMac.Fields fields(long sequence, byte[] recordMac, Instant recordTime, long prunedCount, Instant now) {
        return mac.fields().number(sequence).bytes(recordMac).number(micros(recordTime)).number(prunedCount)
                .number(micros(now));
    }

    /** Microseconds: what DATETIME(6) keeps, so a checkpoint read back verifies. */
    private static long micros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
    }
}
