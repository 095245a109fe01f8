package dev.atrest.terraform.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class DynamicValueCodecTest {

    private static final CtyType.ObjectType BLOCK = new CtyType.ObjectType(Map.of(
            "enabled", CtyType.BOOL, "region", CtyType.STRING, "version", CtyType.NUMBER));
    private static final CtyType.ObjectType RESOURCE = new CtyType.ObjectType(Map.of(
            "id", CtyType.STRING,
            "tags", CtyType.mapOf(CtyType.STRING),
            "zones", CtyType.setOf(CtyType.STRING),
            "config", BLOCK,
            "rules", CtyType.listOf(BLOCK)));

    @Test
    void roundTrip_nestedBlocksCollectionsAndNulls_returnsEqualValue() {
        Map<String, Object> value = resource("p1", block(true, "us-east-1", 7), List.of(block(false, null, 0)));

        assertThat(roundTrip(value, RESOURCE)).isEqualTo(value);
    }

    @Test
    void roundTrip_unknownInsideNestedBlock_staysUnknownThere() {
        Map<String, Object> config = block(true, null, 1);
        config.put("region", Unknown.VALUE);
        Map<String, Object> rule = block(Unknown.VALUE, "eu-west-1", 2);
        Map<String, Object> value = resource("p1", config, List.of(rule));

        Map<?, ?> decoded = (Map<?, ?>) roundTrip(value, RESOURCE);

        assertThat(((Map<?, ?>) decoded.get("config")).get("region")).isSameAs(Unknown.VALUE);
        assertThat(((Map<?, ?>) ((List<?>) decoded.get("rules")).get(0)).get("enabled")).isSameAs(Unknown.VALUE);
        assertThat(decoded).isEqualTo(value);
    }

    @Test
    void roundTrip_wholeValueUnknownOrNull_keepsIt() {
        assertThat(roundTrip(Unknown.VALUE, RESOURCE)).isSameAs(Unknown.VALUE);
        assertThat(roundTrip(null, RESOURCE)).isNull();
        assertThat(DynamicValueCodec.decode(new byte[0], RESOURCE)).isNull();
    }

    @Test
    void encode_unknown_writesCtyFixext1OfTypeZero() {
        assertThat(DynamicValueCodec.encode(Unknown.VALUE, CtyType.STRING)).containsExactly(0xd4, 0, 0);
    }

    @Test
    void decode_anyExtensionType_readsAsUnknown() throws Exception {
        // A refined unknown, as newer Terraform sends: extension 12 with a msgpack map payload.
        byte[] refined = packed(p -> {
            p.packExtensionTypeHeader((byte) 12, 3);
            p.writePayload(new byte[] {(byte) 0x81, 0x01, (byte) 0xc2});
        });

        assertThat(DynamicValueCodec.decode(refined, CtyType.STRING)).isSameAs(Unknown.VALUE);
    }

    @Test
    void decode_numberAsIntFloatOrString_readsTheSameNumber() throws Exception {
        assertThat(DynamicValueCodec.decode(packed(p -> p.packLong(42)), CtyType.NUMBER)).isEqualTo(new BigDecimal("42"));
        assertThat(DynamicValueCodec.decode(packed(p -> p.packDouble(1.5)), CtyType.NUMBER)).isEqualTo(new BigDecimal("1.5"));
        assertThat(DynamicValueCodec.decode(packed(p -> p.packString("123456789012345678901234567890")), CtyType.NUMBER))
                .isEqualTo(new BigDecimal("123456789012345678901234567890"));
    }

    @Test
    void encode_numberBeyondLongAndDouble_roundTripsExactlyAsString() {
        BigDecimal huge = new BigDecimal("123456789012345678901234567890.000000001");

        assertThat(roundTrip(huge, CtyType.NUMBER)).isEqualTo(huge);
    }

    @Test
    void decode_objectWithMissingAndExtraAttributes_fillsNullAndIgnoresExtra() throws Exception {
        byte[] partial = packed(p -> {
            p.packMapHeader(2);
            p.packString("region").packString("us-east-1");
            p.packString("retired").packArrayHeader(1).packInt(1);
        });

        Map<String, Object> expected = new HashMap<>();
        expected.put("enabled", null);
        expected.put("region", "us-east-1");
        expected.put("version", null);
        assertThat(DynamicValueCodec.decode(partial, BLOCK)).isEqualTo(expected);
    }

    @Test
    void decode_truncatedInput_failsWithTypeInMessage() {
        assertThatThrownBy(() -> DynamicValueCodec.decode(new byte[] {(byte) 0x82}, BLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("object");
    }

    private static Object roundTrip(Object value, CtyType type) {
        return DynamicValueCodec.decode(DynamicValueCodec.encode(value, type), type);
    }

    private static Map<String, Object> resource(String id, Object config, List<Object> rules) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("id", id);
        value.put("tags", new LinkedHashMap<>(Map.of("team", "storage")));
        value.put("zones", Arrays.asList("a", "b"));
        value.put("config", config);
        value.put("rules", rules);
        return value;
    }

    private static Map<String, Object> block(Object enabled, String region, long version) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("enabled", enabled);
        block.put("region", region);
        block.put("version", BigDecimal.valueOf(version));
        return block;
    }

    private interface PackerWork {
        void accept(MessageBufferPacker packer) throws Exception;
    }

    private static byte[] packed(PackerWork work) throws Exception {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            work.accept(packer);
            return packer.toByteArray();
        }
    }
}
