package dev.atrest.terraform.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonStateReaderTest {

    private static final CtyType.ObjectType STATE = new CtyType.ObjectType(Map.of(
            "id", CtyType.STRING,
            "valid", CtyType.BOOL,
            "master_key_version", CtyType.NUMBER,
            "aws_kms_config", new CtyType.ObjectType(Map.of("region", CtyType.STRING, "enabled", CtyType.BOOL)),
            "keys", CtyType.listOf(CtyType.NUMBER)));

    @Test
    void read_stateWithNestedBlock_returnsTypedValues() {
        Object state = read("""
                {"id":"p\\u0031","valid":true,"master_key_version":3,
                 "aws_kms_config":{"region":"eu-west-1","enabled":false},"keys":[1,2.5]}""");

        assertThat(state).isEqualTo(Map.of("id", "p1", "valid", true, "master_key_version", new BigDecimal("3"),
                "aws_kms_config", Map.of("region", "eu-west-1", "enabled", false),
                "keys", List.of(new BigDecimal("1"), new BigDecimal("2.5"))));
    }

    @Test
    void read_stateMissingAttributesOrWithRetiredOnes_fillsNullAndDropsRetired() {
        @SuppressWarnings("unchecked")
        Map<String, Object> state = (Map<String, Object>) read("{\"id\":\"p1\",\"removed_in_v2\":\"x\"}");

        assertThat(state.keySet()).containsExactlyInAnyOrder("id", "valid", "master_key_version", "aws_kms_config", "keys");
        assertThat(state.get("aws_kms_config")).isNull();
    }

    @Test
    void read_malformedJson_failsWithoutEchoingContent() {
        assertThatThrownBy(() -> read("{\"id\":\"secret-value\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret-value");
    }

    @Test
    void read_trailingValueOrNonJson_failsAsMalformed() {
        assertThatThrownBy(() -> read("{\"id\":\"p1\"} {}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed JSON state");
        assertThatThrownBy(() -> read("{id: 'p1'}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed JSON state");
    }

    @Test
    void read_valueOfAnotherType_failsAsMalformed() {
        assertThatThrownBy(() -> read("{\"aws_kms_config\":\"secret-value\"}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed JSON state").hasMessageNotContaining("secret-value");
        assertThatThrownBy(() -> read("[1]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed JSON state");
    }

    @Test
    void read_nestedTooDeep_failsAsMalformedNotStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        assertThatThrownBy(() -> read("{\"keys\":" + deep + "}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed JSON state");
    }

    @Test
    void read_largeAndExactNumbers_keptExactly() {
        @SuppressWarnings("unchecked")
        Map<String, Object> state = (Map<String, Object>) read(
                "{\"master_key_version\":123456789012345678901234567890,\"keys\":[0.1,-2E+3]}");

        assertThat(state.get("master_key_version")).isEqualTo(new BigDecimal("123456789012345678901234567890"));
        assertThat(state.get("keys")).isEqualTo(List.of(new BigDecimal("0.1"), new BigDecimal("-2E+3")));
    }

    private static Object read(String json) {
        return JsonStateReader.read(json.getBytes(StandardCharsets.UTF_8), STATE);
    }
}
