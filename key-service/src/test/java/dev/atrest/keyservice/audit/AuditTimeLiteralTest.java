package dev.atrest.keyservice.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class AuditTimeLiteralTest {
    private static final DateTimeFormatter DATETIME_6 = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    @Test
    void utcDateTimeLiteral_equalsTheFormattedUtcDateTime() {
        for (String time : new String[] {"2026-11-28T08:49:05.123456Z", "2026-01-02T03:04:05Z",
                "1999-12-31T23:59:59.000001Z", "2030-07-09T00:00:00.100000Z"}) {
            Instant instant = Instant.parse(time);

            assertThat(AuditRecordStore.utcDateTimeLiteral(instant))
                    .isEqualTo(LocalDateTime.ofInstant(instant, ZoneOffset.UTC).format(DATETIME_6));
        }
    }

    @Test
    void utcDateTimeLiteral_parsesBackToTheSameInstant() {
        Instant instant = Instant.parse("2026-11-28T08:49:05.654321Z");

        LocalDateTime parsed = LocalDateTime.parse(AuditRecordStore.utcDateTimeLiteral(instant), DATETIME_6);

        assertThat(parsed.toInstant(ZoneOffset.UTC)).isEqualTo(instant);
    }
}
