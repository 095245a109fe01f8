package dev.atrest.keyservice.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.domain.AccessToken;
import dev.atrest.keyservice.domain.Role;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The token-row MAC covers everything a token grants, canonically; other keys and other encodings do not verify. */
class TokenMacsTest {
    private static final String SHA = "ab".repeat(32);
    private static final Instant CREATED = Instant.parse("2026-12-07T10:00:00.123456Z");
    private static final AccessToken TOKEN = new AccessToken("tok-1", "engine", Role.KEY_CONSUMER, Set.of("p1", "p2"),
            false, CREATED, CREATED.plusSeconds(86_400), null, "token:tok-bootstrap");

    private final TokenMacs macs = new TokenMacs(key(1));

    @Test
    void rowVerifies_untouchedRow_true() {
        assertThat(macs.rowVerifies(TOKEN, SHA, macs.rowMac(TOKEN, SHA))).isTrue();
    }

    @Test
    void rowVerifies_revokedLater_stillTrue() {
        byte[] mac = macs.rowMac(TOKEN, SHA);

        assertThat(macs.rowVerifies(with(t -> new AccessToken(t.tokenId(), t.name(), t.role(), t.projectIds(),
                t.allProjects(), t.createTime(), t.expireTime(), CREATED.plusSeconds(5), t.createdBy())), SHA, mac))
                .as("revocation is the ledger's business, not the row MAC's").isTrue();
    }

    @Test
    void rowVerifies_anyGrantingFieldChanged_false() {
        byte[] mac = macs.rowMac(TOKEN, SHA);

        assertThat(macs.rowVerifies(TOKEN, "cd".repeat(32), mac)).as("secret hash").isFalse();
        assertThat(macs.rowVerifies(with(t -> copy(t, Role.ADMIN, t.projectIds(), t.allProjects(), t.expireTime())),
                SHA, mac)).as("role").isFalse();
        assertThat(macs.rowVerifies(with(t -> copy(t, t.role(), Set.of("p1", "p2", "p3"), false, t.expireTime())),
                SHA, mac)).as("a project added").isFalse();
        assertThat(macs.rowVerifies(with(t -> copy(t, t.role(), Set.of(), true, t.expireTime())), SHA, mac))
                .as("all projects").isFalse();
        assertThat(macs.rowVerifies(with(t -> copy(t, t.role(), t.projectIds(), false, null)), SHA, mac))
                .as("expiry removed").isFalse();
        assertThat(macs.rowVerifies(with(t -> copy(t, t.role(), t.projectIds(), false, t.expireTime().plusNanos(1_000))),
                SHA, mac)).as("expiry moved by a microsecond").isFalse();
        assertThat(macs.rowVerifies(TOKEN, SHA, null)).as("no MAC").isFalse();
    }

    @Test
    void rowMac_projectOrderAndSubMicroseconds_doNotMatter() {
        AccessToken reordered = copy(TOKEN, TOKEN.role(), Set.of("p2", "p1"), false, TOKEN.expireTime());
        AccessToken nanos = new AccessToken("tok-1", "engine", Role.KEY_CONSUMER, Set.of("p1", "p2"), false,
                CREATED.plusNanos(999), CREATED.plusSeconds(86_400), null, "token:tok-bootstrap");

        assertThat(macs.rowMac(reordered, SHA)).isEqualTo(macs.rowMac(TOKEN, SHA));
        assertThat(macs.rowMac(nanos, SHA)).as("MariaDB keeps microseconds").isEqualTo(macs.rowMac(TOKEN, SHA));
    }

    @Test
    void rowMac_fieldsShiftedBetweenNeighbours_differ() {
        AccessToken a = new AccessToken("tok-1", "ab", Role.ADMIN, Set.of("c", "d"), false, CREATED, null, null, "x");
        AccessToken b = new AccessToken("tok-1", "a", Role.ADMIN, Set.of("bc", "d"), false, CREATED, null, null, "x");

        assertThat(macs.rowMac(a, SHA)).isNotEqualTo(macs.rowMac(b, SHA));
    }

    @Test
    void rowMac_anotherKey_doesNotVerify() {
        assertThat(new TokenMacs(key(2)).rowVerifies(TOKEN, SHA, macs.rowMac(TOKEN, SHA))).isFalse();
    }

    @Test
    void revocationMac_dependsOnEveryInputAndIsNoRowMac() {
        byte[] genesis = macs.genesis();
        byte[] mac = macs.revocationMac(genesis, 1, "tok-1", CREATED);

        assertThat(macs.revocationMac(genesis, 2, "tok-1", CREATED)).isNotEqualTo(mac);
        assertThat(macs.revocationMac(genesis, 1, "tok-2", CREATED)).isNotEqualTo(mac);
        assertThat(macs.revocationMac(genesis, 1, "tok-1", CREATED.plusNanos(1_000))).isNotEqualTo(mac);
        assertThat(macs.revocationMac(new byte[32], 1, "tok-1", CREATED)).isNotEqualTo(mac);
        assertThat(genesis).isNotEqualTo(new TokenMacs(key(2)).genesis());
        assertThat(macs.toString()).doesNotContain(Arrays.toString(new byte[] {1}));
    }

    private static AccessToken with(UnaryOperator<AccessToken> change) {
        return change.apply(TOKEN);
    }

    private static AccessToken copy(AccessToken t, Role role, Set<String> projects, boolean all, Instant expire) {
        return new AccessToken(t.tokenId(), t.name(), role, projects, all, t.createTime(), expire, t.revokeTime(),
                t.createdBy());
    }

    static KeyMaterial key(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return KeyMaterial.takeOwnership(bytes);
    }
}
