package dev.atrest.terraform.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.atrest.terraform.provider.Catalog;
import dev.atrest.terraform.resources.AtrestCatalog;
import dev.atrest.testsupport.FaultTally;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;

/**
 * UpgradeResourceState hands the provider raw JSON state from disk, which a user may have edited. Whatever the
 * bytes, reading them against any of this provider's resource schemas must either return a value or throw the
 * reader's own error ("malformed JSON state ..."), never anything else: a plugin that dies takes the apply with it.
 *
 * <p>Input: the first byte picks the schema, the rest is the JSON. Plain {@code mvn test} replays the committed
 * inputs in {@code JsonStateReaderFuzzTestInputs/}; {@code scripts/fuzz.sh} fuzzes.
 */
class JsonStateReaderFuzzTest {

    /** Every resource's state type: only resources have state to upgrade. */
    private static final List<CtyType.ObjectType> STATE_TYPES = stateTypes();
    private static final FaultTally TALLY = FaultTally.fuzzTest("json-state-reader");

    @FuzzTest
    void read_anyBytes_returnsValueOrMalformedStateError(byte[] input) {
        TALLY.trial();
        TALLY.verify("input " + TALLY.trials(), () -> readOrRefuse(input));
    }

    @AfterAll
    static void report() {
        TALLY.close();
    }

    private static void readOrRefuse(byte[] input) {
        if (input.length == 0) {
            return;
        }
        CtyType.ObjectType type = STATE_TYPES.get(Byte.toUnsignedInt(input[0]) % STATE_TYPES.size());
        Object state;
        try {
            state = JsonStateReader.read(Arrays.copyOfRange(input, 1, input.length), type);
        } catch (IllegalArgumentException malformed) {
            TALLY.faults(1); // refused as malformed
            assertThat(malformed).hasMessageStartingWith("malformed JSON state");
            return;
        }
        // What was read has the schema's shape: JSON null is no state, anything else every attribute, no other.
        if (state != null) {
            assertThat(state).asInstanceOf(InstanceOfAssertFactories.MAP).containsOnlyKeys(
                    type.attributes().keySet());
        }
    }

    private static List<CtyType.ObjectType> stateTypes() {
        Catalog catalog = AtrestCatalog.create();
        return catalog.resources().values().stream().map(resource -> resource.schema().impliedType()).toList();
    }
}
