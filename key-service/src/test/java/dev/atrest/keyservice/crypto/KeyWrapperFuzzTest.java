package dev.atrest.keyservice.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.atrest.testsupport.FaultTally;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;

/**
 * Wrapped keys and sealed secrets are read back from database rows, which can be damaged or tampered with.
 * Whatever the stored bytes, opening them either yields exactly what was wrapped under that key and context,
 * or throws UnwrapException (the typed error the service reports and logs), never another exception.
 */
class KeyWrapperFuzzTest {
    private static final KeyWrapper WRAPPER = new KeyWrapper(new SecureRandom());
    private static final KeyMaterial WRAPPING_KEY = KeyMaterial.copyOf(new byte[KeyMaterial.LENGTH_BYTES]);
    private static final FaultTally TALLY = FaultTally.fuzzTest("wrapped-keys");

    /** One test, so that scripts/fuzz.sh can fuzz it in a JVM of its own; the first choice picks the case. */
    @FuzzTest
    void unwrap_storedBytes_originalKeyOrUnwrapException(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            arbitraryStoredBytes(data);
        } else {
            damagedEnvelope(data);
        }
    }

    /** Arbitrary stored bytes: no one can forge an envelope that authenticates, so each must be refused. */
    private static void arbitraryStoredBytes(FuzzedDataProvider data) {
        byte[] aad = data.consumeBytes(data.consumeInt(0, 64));
        byte[] stored = data.consumeRemainingAsBytes();
        trial(true, () -> {
            SecretSealer sealer = new SecretSealer(WRAPPING_KEY, WRAPPER);
            assertThatThrownBy(() -> WRAPPER.unwrapKey(WRAPPING_KEY, stored, aad)).isInstanceOf(UnwrapException.class);
            assertThatThrownBy(() -> sealer.open("p1", stored)).isInstanceOf(UnwrapException.class);
        });
    }

    /** A real envelope with fuzzed bytes flipped, cut or appended: unchanged it opens, changed it is refused. */
    private static void damagedEnvelope(FuzzedDataProvider data) {
        byte[] aad = Aad.forDatabaseKey("p1", "c1", "d1", 1, 1);
        byte[] key = new byte[KeyMaterial.LENGTH_BYTES];
        Arrays.fill(key, (byte) 7);
        byte[] envelope = WRAPPER.wrapKey(WRAPPING_KEY, KeyMaterial.copyOf(key), aad);
        byte[] damaged = damage(envelope, data);
        trial(!Arrays.equals(damaged, envelope), () -> {
            if (Arrays.equals(damaged, envelope)) {
                try (KeyMaterial opened = WRAPPER.unwrapKey(WRAPPING_KEY, damaged, aad)) {
                    assertThat(opened.copyBytes()).isEqualTo(key);
                }
            } else {
                assertThatThrownBy(() -> WRAPPER.unwrapKey(WRAPPING_KEY, damaged, aad))
                        .isInstanceOf(UnwrapException.class);
            }
        });
    }

    @AfterAll
    static void report() {
        TALLY.close();
    }

    private static byte[] damage(byte[] envelope, FuzzedDataProvider data) {
        byte[] damaged = Arrays.copyOf(envelope, data.consumeInt(0, envelope.length + 16));
        int flips = data.consumeInt(0, 4);
        for (int i = 0; i < flips && damaged.length > 0; i++) {
            damaged[data.consumeInt(0, damaged.length - 1)] ^= data.consumeByte();
        }
        return damaged;
    }

    /** One stored value opened; a wrong outcome is counted, then rethrown. */
    private static void trial(boolean malformed, Runnable checks) {
        TALLY.trial();
        TALLY.faults(malformed ? 1 : 0);
        TALLY.verify("envelope " + TALLY.trials(), () -> {
            try {
                checks.run();
            } catch (AssertionError wrongOutcome) {
                throw wrongOutcome;
            } catch (RuntimeException | Error other) {
                throw new AssertionError("unexpected " + other, other);
            }
        });
    }
}
