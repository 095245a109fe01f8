package dev.atrest.terraform.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HandshakeConfigTest {

    private static final String COOKIE = HandshakeConfig.MAGIC_COOKIE_VALUE;

    @Test
    void fromEnvironment_withoutCookie_refusesWithHumanMessage() {
        assertThatThrownBy(() -> HandshakeConfig.fromEnvironment(Map.of()))
                .isInstanceOf(HandshakeRefused.class).hasMessageContaining("not meant to be run directly");
    }

    @Test
    void fromEnvironment_protocolSixNotOffered_refuses() {
        assertThatThrownBy(() -> HandshakeConfig.fromEnvironment(Map.of(HandshakeConfig.MAGIC_COOKIE_KEY, COOKIE,
                "PLUGIN_PROTOCOL_VERSIONS", "4,5")))
                .isInstanceOf(HandshakeRefused.class).hasMessageContaining("protocol 6");
    }

    @Test
    void fromEnvironment_rangeAndCertificate_readsThem() throws Exception {
        HandshakeConfig config = HandshakeConfig.fromEnvironment(Map.of(HandshakeConfig.MAGIC_COOKIE_KEY, COOKIE,
                "PLUGIN_PROTOCOL_VERSIONS", "5,6", "PLUGIN_MIN_PORT", "20000", "PLUGIN_MAX_PORT", "20010",
                "PLUGIN_CLIENT_CERT", "PEM"));

        assertThat(config).isEqualTo(new HandshakeConfig(20000, 20010, java.util.Optional.of("PEM")));
    }

    @Test
    void fromEnvironment_portNotANumber_refusesNamingTheVariable() {
        assertThatThrownBy(() -> HandshakeConfig.fromEnvironment(Map.of(HandshakeConfig.MAGIC_COOKIE_KEY, COOKIE,
                "PLUGIN_PROTOCOL_VERSIONS", "6", "PLUGIN_MIN_PORT", "low")))
                .isInstanceOf(HandshakeRefused.class).hasMessageContaining("PLUGIN_MIN_PORT");
    }

    @Test
    void handshakeLine_always_hasSixFieldsWithTcpAndGrpc() {
        assertThat(HandshakeConfig.handshakeLine("127.0.0.1:1234", "")).isEqualTo("1|6|tcp|127.0.0.1:1234|grpc|");
    }
}
