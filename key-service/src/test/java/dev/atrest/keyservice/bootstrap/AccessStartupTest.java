package dev.atrest.keyservice.bootstrap;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AccessStartupTest {
    @Test
    void developmentMode_loopbackHost_allowed() {
        assertThatCode(() -> AccessStartup.refuseUnlessLoopback("127.0.0.1")).doesNotThrowAnyException();
        assertThatCode(() -> AccessStartup.refuseUnlessLoopback("localhost")).doesNotThrowAnyException();
        assertThatCode(() -> AccessStartup.refuseUnlessLoopback("::1")).doesNotThrowAnyException();
    }

    @Test
    void developmentMode_anyOtherHost_refusedSayingWhy() {
        assertThatThrownBy(() -> AccessStartup.refuseUnlessLoopback("0.0.0.0"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("development-mode")
                .hasMessageContaining("loopback")
                .hasMessageContaining("'0.0.0.0'");
    }
}
