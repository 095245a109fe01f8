package dev.atrest.keyservice.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.contract.IdentifierRule;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written check against the rule's regular expression, which the Terraform provider documents. */
class IdentifierRuleTest {
    private static final Pattern RULE = Pattern.compile(IdentifierRule.REGEX);
    /** Allowed characters only, for long valid values; and with the boundaries around them and beyond ASCII. */
    private static final String VALID = "azAZ09_-";
    private static final String ANY = VALID + "@[`{/:. é\u0660\uD83D\uDE00";

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "0", "db-1", "my_cluster", "A-_9"})
    void matches_wellFormed_true(String id) {
        assertThat(IdentifierRule.matches(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "_a", "a b", "a.b", "a/b", "é", "\u0660", "a\n"})
    void matches_malformed_false(String id) {
        assertThat(IdentifierRule.matches(id)).isFalse();
    }

    @Test
    void matches_lengthBound_64AcceptedAnd65Refused() {
        assertThat(IdentifierRule.matches("a".repeat(64))).isTrue();
        assertThat(IdentifierRule.matches("a".repeat(65))).isFalse();
        assertThat(IdentifierRule.matches(null)).isFalse();
    }

    @Test
    void matches_randomStrings_agreesWithTheRegularExpression() {
        Random random = new Random(17);
        for (int i = 0; i < 100_000; i++) {
            String alphabet = random.nextBoolean() ? VALID : ANY;
            StringBuilder value = new StringBuilder();
            int length = random.nextInt(70);
            for (int c = 0; c < length; c++) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String id = value.toString();
            assertThat(IdentifierRule.matches(id)).as("'%s'", id).isEqualTo(RULE.matcher(id).matches());
        }
    }
}
