package dev.atrest.keyservice.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.crypto.KeyMaterial;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetentionCutTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private final AuditChain chain = new AuditChain(KeyMaterial.generate(new SecureRandom()));

    private List<StoredRecord> log(int count) {
        List<StoredRecord> records = new ArrayList<>();
        byte[] mac = AuditChain.genesis();
        for (int sequence = 1; sequence <= count; sequence++) {
            AuditEvent event = new AuditEvent("service", "cmk.check", "projects/p" + sequence, "OK", "");
            mac = chain.mac(mac, sequence, T0.plusSeconds(sequence), event);
            records.add(new StoredRecord(sequence, T0.plusSeconds(sequence), event, mac));
        }
        return records;
    }

    @Test
    void of_recordsOlderThanTheCutoff_theRunBeforeIt() {
        List<StoredRecord> records = log(5);

        RetentionCut cut = RetentionCut.of(Optional.empty(), records, T0.plusSeconds(4), chain);

        assertThat(cut.count()).isEqualTo(3);
        assertThat(cut.last()).isEqualTo(records.get(2));
        assertThat(cut.problem()).isEmpty();
    }

    @Test
    void of_aChangedRecord_stopsBeforeItToKeepTheEvidence() {
        List<StoredRecord> records = log(5);
        StoredRecord second = records.get(1);
        records.set(1, new StoredRecord(2, second.time(), new AuditEvent("x", "y", "", "OK", ""), second.mac()));

        RetentionCut cut = RetentionCut.of(Optional.empty(), records, T0.plusSeconds(100), chain);

        assertThat(cut.count()).isEqualTo(1);
        assertThat(cut.problem()).contains("record 2");
    }
}
