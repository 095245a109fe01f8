package dev.atrest.keyservice.domain;

import static dev.atrest.keyservice.support.FuzzInputs.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.atrest.keyservice.cluster.ClusterPage;
import dev.atrest.keyservice.health.AlertPage;
import dev.atrest.keyservice.snapshot.SnapshotPage;
import dev.atrest.testsupport.FaultTally;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;

/**
 * Page tokens come back from callers, who may send anything: each List call's decoder must return a position
 * or report page_token as a violation (INVALID_ARGUMENT), never throw. Half the inputs are base64url of fuzzed
 * text, so the decoders get past base64 to the parsing behind it.
 */
class PageTokenFuzzTest {
    private static final FaultTally TALLY = FaultTally.fuzzTest("page-tokens");

    @FuzzTest
    void decodeToken_anyToken_positionOrPageTokenViolation(FuzzedDataProvider data) {
        String token = data.consumeBoolean() ? text(data)
                : Base64.getUrlEncoder().withoutPadding().encodeToString(text(data).getBytes(StandardCharsets.UTF_8));
        TALLY.verify("token " + TALLY.trials(), () -> {
            expectPositionOrViolation(violations -> ClusterPage.decodeToken(token, violations));
            expectPositionOrViolation(violations -> SnapshotPage.decodeToken(token, violations));
            expectPositionOrViolation(violations -> AlertPage.decodeToken(token, violations));
        });
    }

    @AfterAll
    static void report() {
        TALLY.close();
    }

    /** One trial per decoding (three per token): a refused token counts as one malformed input. */
    private static void expectPositionOrViolation(Function<Violations, Object> decoder) {
        TALLY.trial();
        Violations violations = new Violations();
        Object position;
        try {
            position = decoder.apply(violations);
        } catch (RuntimeException | Error other) {
            throw new AssertionError("a page token decoder threw " + other, other);
        }
        assertThat(position).isNotNull();
        try {
            violations.throwIfAny();
        } catch (InvalidArgumentException refused) {
            TALLY.faults(1);
            assertThat(refused.violations()).singleElement().satisfies(v -> assertThat(v.field()).isEqualTo("page_token"));
        }
    }
}
