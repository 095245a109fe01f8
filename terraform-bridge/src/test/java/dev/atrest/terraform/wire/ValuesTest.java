package dev.atrest.terraform.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void resolveUnknowns_plannedKnownDiffersFromActual_keepsPlannedAndFillsOnlyUnknowns() {
        Map<String, Object> planned = new HashMap<>(Map.of("region", "us-east-1", "valid", Unknown.VALUE,
                "block", Map.of("key_id", Unknown.VALUE, "enabled", true)));
        Map<String, Object> actual = Map.of("region", "US-EAST-1", "valid", true,
                "block", Map.of("key_id", "default", "enabled", false));

        assertThat(Values.resolveUnknowns(planned, actual)).isEqualTo(Map.of("region", "us-east-1", "valid", true,
                "block", Map.of("key_id", "default", "enabled", true)));
    }

    @Test
    void containsUnknown_unknownDeepInList_isTrue() {
        assertThat(Values.containsUnknown(Map.of("a", List.of(Map.of("b", Unknown.VALUE))))).isTrue();
        assertThat(Values.containsUnknown(Map.of("a", List.of(Map.of("b", "x"))))).isFalse();
    }
}
