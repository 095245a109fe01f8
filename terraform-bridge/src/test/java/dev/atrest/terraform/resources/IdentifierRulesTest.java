package dev.atrest.terraform.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.terraform.protocol.tfplugin6.Tfplugin6;
import dev.atrest.terraform.provider.Diagnostics;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The identifier rule at plan time: the values the service accepts pass, the others fail on their attribute.
 * The longest cases are 64 characters (allowed) and 65 (refused).
 */
class IdentifierRulesTest {
    private final Diagnostics diagnostics = new Diagnostics();

    @ParameterizedTest
    @ValueSource(strings = {"p", "0", "prod-eu_1", "A-",
            "x012345678901234567890123456789012345678901234567890123456789abc"})
    void check_wellFormed_noDiagnostic(String value) {
        IdentifierRules.check(Map.of("project_id", value), "project_id", "project_id", diagnostics);

        assertThat(diagnostics.asList()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-p", "_p", "has space", "p.1", "é",
            "x012345678901234567890123456789012345678901234567890123456789abcd"})
    void check_malformed_errorOnTheAttributeQuotingTheValue(String value) {
        IdentifierRules.check(Map.of("key_id", value), "key_id", "local_key_config.key_id", diagnostics);

        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSummary()).isEqualTo("invalid key_id");
            assertThat(d.getDetail()).isEqualTo("key_id must be 1 to 64 characters of [A-Za-z0-9_-] starting "
                    + "with a letter or digit; got " + Diagnostics.quote(value));
            assertThat(d.getAttribute().getStepsList()).extracting(Tfplugin6.AttributePath.Step::getAttributeName)
                    .containsExactly("local_key_config", "key_id");
        });
    }

    @Test
    void check_empty_mustNotBeEmpty() {
        IdentifierRules.check(Map.of("project_id", ""), "project_id", "project_id", diagnostics);

        assertThat(diagnostics.asList()).singleElement().satisfies(d -> {
            assertThat(d.getSummary()).isEqualTo("empty project_id");
            assertThat(d.getDetail()).isEqualTo("project_id must not be empty");
        });
    }

    @Test
    void checkCluster_unknownOrNull_waitsForApply() {
        Map<String, Object> config = new HashMap<>();
        config.put("project_id", null);
        config.put("cluster_name", new Object());

        IdentifierRules.checkCluster(config, diagnostics);

        assertThat(diagnostics.asList()).isEmpty();
    }

    @Test
    void checkCluster_bothMalformed_oneErrorEach() {
        IdentifierRules.checkCluster(Map.of("project_id", "p 1", "cluster_name", "-c"), diagnostics);

        assertThat(diagnostics.asList()).extracting(Tfplugin6.Diagnostic::getSummary)
                .containsExactly("invalid project_id", "invalid cluster_name");
    }
}
