package dev.atrest.keyservice.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RefusalLimiterTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void take_burstSpent_waitsOneRefillAndThenAdmitsOneMore() {
        RefusalLimiter limiter = new RefusalLimiter(2, 3, 100, nanos::get);

        assertThat(limiter.take("peer:10.0.0.1")).isEmpty();
        assertThat(limiter.take("peer:10.0.0.1")).isEmpty();
        assertThat(limiter.take("peer:10.0.0.1")).isEmpty();
        assertThat(limiter.take("peer:10.0.0.1")).contains(Duration.ofMillis(500));
        assertThat(limiter.waitFor("peer:10.0.0.1")).contains(Duration.ofMillis(500));

        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(limiter.waitFor("peer:10.0.0.1")).isEmpty();
        assertThat(limiter.take("peer:10.0.0.1")).isEmpty();
        assertThat(limiter.take("peer:10.0.0.1")).isPresent();
    }

    @Test
    void take_oneCallerExhausted_othersUntouched() {
        RefusalLimiter limiter = new RefusalLimiter(1, 1, 100, nanos::get);

        limiter.take("peer:10.0.0.1");

        assertThat(limiter.take("peer:10.0.0.1")).isPresent();
        assertThat(limiter.waitFor("token:tok-a")).isEmpty();
        assertThat(limiter.take("token:tok-a")).isEmpty();
    }

    @Test
    void take_tableFull_newCallersShareTheOverflowBucket() {
        RefusalLimiter limiter = new RefusalLimiter(1, 2, 2, nanos::get);
        limiter.take("peer:a");
        limiter.take("peer:b");

        assertThat(limiter.take("peer:c")).isEmpty();
        assertThat(limiter.take("peer:d")).isEmpty();
        assertThat(limiter.take("peer:e")).as("c, d and e share one bucket of 2").isPresent();
        assertThat(limiter.waitFor("peer:f")).isPresent();
        assertThat(limiter.tracked()).isEqualTo(3);
    }

    @Test
    void sweep_bucketsFullAgain_forgotten() {
        RefusalLimiter limiter = new RefusalLimiter(1, 2, 100, nanos::get);
        limiter.take("peer:a");
        limiter.take("peer:b");
        limiter.take("peer:b");

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        limiter.sweep();

        assertThat(limiter.tracked()).as("a is full again, b still one short").isEqualTo(1);
    }
}
