package dev.atrest.terraform.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({"30s,PT30S", "5m,PT5M", "1h2m,PT1H2M", "1.5h,PT1H30M", "300ms,PT0.3S", "2h45m10s,PT2H45M10S",
            "0,PT0S", ".5s,PT0.5S", "1us,PT0.000001S", "10ns,PT0.00000001S"})
    void parse_goSyntax_duration(String text, String expected) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5 m", "5min", "-1s", "+1s", "1d", "m", "1h 2m", "5M", "99999999999h"})
    void parse_notGoSyntaxOrSigned_null(String text) {
        assertThat(GoDuration.parse(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"PT5M,5m", "PT1H2M,1h2m", "PT90S,1m30s", "PT1.5S,1.5s", "PT2H,2h"})
    void format_duration_goStyle(String duration, String expected) {
        assertThat(GoDuration.format(Duration.parse(duration))).isEqualTo(expected);
    }
}
