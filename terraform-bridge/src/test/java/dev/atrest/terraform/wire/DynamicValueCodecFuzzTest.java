package dev.atrest.terraform.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.atrest.terraform.provider.Catalog;
import dev.atrest.terraform.provider.ProviderSettings;
import dev.atrest.terraform.resources.AtrestCatalog;
import dev.atrest.testsupport.FaultTally;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Terraform sends DynamicValues as msgpack, and a plugin that dies on a bad one takes the whole apply with it.
 * Whatever the bytes, decoding against any of this provider's schemas must either return a value or throw
 * the codec's own error ("malformed msgpack value ..."), never anything else: no other exception, no
 * OutOfMemoryError from a size header that promises more than the input holds.
 *
 * <p>Input: the first byte picks the schema, the rest is the msgpack. Plain {@code mvn test} replays the
 * committed inputs in {@code DynamicValueCodecFuzzTestInputs/}; {@code scripts/fuzz.sh} fuzzes.
 */
class DynamicValueCodecFuzzTest {

    /** Every object type the provider decodes: its own settings, each resource and each data source. */
    private static final List<CtyType> SCHEMA_TYPES = schemaTypes();
    private static final FaultTally TALLY = FaultTally.fuzzTest("dynamic-value-codec");

    @FuzzTest
    void decode_anyBytes_returnsValueOrMalformedValueError(byte[] input) {
        TALLY.trial();
        TALLY.verify("input " + TALLY.trials(), () -> decodeAndReencode(input));
    }

    @AfterAll
    static void report() {
        TALLY.close();
    }

    private static void decodeAndReencode(byte[] input) {
        if (input.length == 0) {
            return;
        }
        CtyType type = SCHEMA_TYPES.get(Byte.toUnsignedInt(input[0]) % SCHEMA_TYPES.size());
        byte[] msgpack = Arrays.copyOfRange(input, 1, input.length);
        Object decoded;
        try {
            decoded = DynamicValueCodec.decode(msgpack, type);
        } catch (IllegalArgumentException malformed) {
            TALLY.faults(1); // refused as malformed
            assertThat(malformed).hasMessageStartingWith("malformed msgpack value for type ");
            return;
        }
        // What was accepted must survive the trip back into state: encoded and decoded again, it is the same
        // value (numbers compared by value: 1E+2 and 100 are one number to Terraform).
        Object again = DynamicValueCodec.decode(DynamicValueCodec.encode(decoded, type), type);
        assertThat(again).usingRecursiveComparison()
                .withComparatorForType(BigDecimal::compareTo, BigDecimal.class).isEqualTo(decoded);
    }

    private static List<CtyType> schemaTypes() {
        Catalog catalog = AtrestCatalog.create();
        List<CtyType> types = new ArrayList<>();
        types.add(ProviderSettings.SCHEMA.impliedType());
        catalog.resources().values().forEach(resource -> types.add(resource.schema().impliedType()));
        catalog.dataSources().values().forEach(dataSource -> types.add(dataSource.schema().impliedType()));
        return List.copyOf(types);
    }
}
