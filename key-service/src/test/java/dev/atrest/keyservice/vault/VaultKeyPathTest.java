package dev.atrest.keyservice.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.domain.InvalidArgumentException;
import dev.atrest.keyservice.domain.NotFoundException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The key ids, versions and mounts an engine may name, and the field each refusal names. */
class VaultKeyPathTest {

    @Test
    void parse_canonicalKeyIdAndVersion_namesThatDatabaseKey() {
        assertThat(VaultKeyPath.parse("1", null)).isEqualTo(new VaultKeyPath("1", 0));
        assertThat(VaultKeyPath.parse("4294967295", List.of("7"))).isEqualTo(new VaultKeyPath("4294967295", 7));
        assertThat(VaultKeyPath.parse("12", List.of("0"))).isEqualTo(new VaultKeyPath("12", 0));
        assertThat(VaultKeyPath.parse("12", List.of("2147483647")).version()).isEqualTo(Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "01", "-1", "+1", "1.0", "1e3", "4294967296", "99999999999", "abc", " 1", "1 ",
            "１", "0x1", "../1"})
    void parse_keyIdOutsideTheRule_namesKeyId(String keyId) {
        assertThatThrownBy(() -> VaultKeyPath.parse(keyId, null))
                .isInstanceOfSatisfying(InvalidArgumentException.class,
                        e -> assertThat(e.violations()).singleElement().satisfies(v -> {
                            assertThat(v.field()).isEqualTo("key id");
                            assertThat(v.description()).contains("1 to 4294967295");
                        }));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "01", "x", "2147483648", "1.5"})
    void parse_versionOutsideTheRule_namesVersion(String version) {
        assertThatThrownBy(() -> VaultKeyPath.parse("1", List.of(version)))
                .isInstanceOfSatisfying(InvalidArgumentException.class,
                        e -> assertThat(e.violations()).extracting(v -> v.field()).containsExactly("version"));
    }

    @Test
    void parse_versionGivenTwice_refused() {
        assertThatThrownBy(() -> VaultKeyPath.parse("1", List.of("1", "1")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("version");
    }

    @Test
    void mount_atrestProjectCluster_parsed_otherShapesNotFound_badIdsNamed() {
        assertThat(VaultMount.parse("atrest/p-1/c_2")).isEqualTo(new VaultMount("p-1", "c_2"));
        for (String unknown : List.of("secret", "atrest/p", "atrest/p/c/d", "kv/p/c", "atrest//p/c", "")) {
            assertThatThrownBy(() -> VaultMount.parse(unknown)).as(unknown).isInstanceOf(NotFoundException.class);
        }
        assertThatThrownBy(() -> VaultMount.parse("atrest/../c"))
                .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.violations())
                        .extracting(v -> v.field()).containsExactly("mount project_id"));
        assertThatThrownBy(() -> VaultMount.parse("atrest/p/" + "c".repeat(65)))
                .isInstanceOfSatisfying(InvalidArgumentException.class, e -> assertThat(e.violations())
                        .extracting(v -> v.field()).containsExactly("mount cluster_name"));
    }
}
