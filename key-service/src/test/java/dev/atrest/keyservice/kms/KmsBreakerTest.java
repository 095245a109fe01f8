package dev.atrest.keyservice.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.keyservice.domain.KmsUnavailableException;
import dev.atrest.keyservice.kms.KmsBreaker.Outcome;
import dev.atrest.keyservice.kms.KmsBreaker.State;
import dev.atrest.keyservice.support.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The breaker's states on a clock the test moves: no waiting, no threads. */
class KmsBreakerTest {
    private static final KmsEndpoint ENDPOINT = new KmsEndpoint("https://kms.eu-west-1.amazonaws.com", "eu-west-1");
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-08T00:00:00Z"));
    private final List<String> transitions = new ArrayList<>();
    private final KmsBreaker breaker = new KmsBreaker(ENDPOINT, 3, PROBE_INTERVAL, Duration.ofSeconds(30), clock,
            (b, from, to) -> transitions.add(from + "->" + to));

    @Test
    void admit_closed_callGoesThroughAsNoTrial() {
        assertThat(breaker.admit()).isFalse();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void finished_thresholdUnreachableInARow_opensAndRefusesAtOnceWithTimeToProbe() {
        failInARow(3);
        clock.advance(Duration.ofSeconds(2));

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThatThrownBy(breaker::admit).isInstanceOfSatisfying(KmsUnavailableException.class, e -> {
            assertThat(e.refusedWithoutCall()).isTrue();
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
            assertThat(e.endpoint()).isEqualTo(Map.of("endpoint", ENDPOINT.url(), "region", "eu-west-1"));
            assertThat(e.getMessage()).contains("KMS at https://kms.eu-west-1.amazonaws.com (eu-west-1)",
                    "the last 3 calls failed", "next try in 3 s");
        });
        assertThat(transitions).containsExactly("CLOSED->OPEN");
    }

    @Test
    void finished_answerBetweenFailures_countStartsAgain() {
        failInARow(2);
        breaker.finished(breaker.admit(), Outcome.REACHED);
        failInARow(2);

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.admit()).isFalse();
    }

    @Test
    void finished_callAbandonedWhileClosed_neitherCountsNorResets() {
        failInARow(2);
        breaker.finished(breaker.admit(), Outcome.ABANDONED);
        failInARow(1);

        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void admit_probeDue_oneTrialAndTheOthersRefused() {
        failInARow(3);
        clock.advance(PROBE_INTERVAL);

        assertThat(breaker.admit()).isTrue();
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThatThrownBy(breaker::admit).isInstanceOfSatisfying(KmsUnavailableException.class, e -> {
            assertThat(e.retryAfter()).contains(PROBE_INTERVAL);
            assertThat(e.getMessage()).contains("a probe is under way");
        });
    }

    @Test
    void finished_trialReached_closesAndCallsGoThrough() {
        failInARow(3);
        clock.advance(PROBE_INTERVAL);

        breaker.finished(breaker.admit(), Outcome.REACHED);

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.admit()).isFalse();
        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }

    @Test
    void finished_trialsKeepFailing_waitDoublesUpToMaxBackoff() {
        failInARow(3);
        List<Duration> waits = new ArrayList<>();
        for (int probe = 0; probe < 5; probe++) {
            clock.advance(breaker.untilProbe());
            breaker.finished(breaker.admit(), Outcome.UNREACHABLE);
            waits.add(breaker.untilProbe());
        }

        assertThat(waits).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    @Test
    void finished_closedAfterBackoff_nextOpeningWaitsTheProbeIntervalAgain() {
        failInARow(3);
        clock.advance(breaker.untilProbe());
        breaker.finished(breaker.admit(), Outcome.UNREACHABLE);
        clock.advance(breaker.untilProbe());
        breaker.finished(breaker.admit(), Outcome.REACHED);

        failInARow(3);

        assertThat(breaker.untilProbe()).isEqualTo(PROBE_INTERVAL);
    }

    @Test
    void finished_slowCallFailsAfterItOpened_probeNotPostponed() {
        boolean admittedBeforeOpening = breaker.admit();
        failInARow(3);
        clock.advance(Duration.ofSeconds(4));

        breaker.finished(admittedBeforeOpening, Outcome.UNREACHABLE);

        assertThat(breaker.untilProbe()).isEqualTo(Duration.ofSeconds(1));
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void finished_slowCallReachesKmsAfterItOpened_closes() {
        boolean admittedBeforeOpening = breaker.admit();
        failInARow(3);

        breaker.finished(admittedBeforeOpening, Outcome.REACHED);

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void finished_trialAbandoned_nextCallIsTheTrial() {
        failInARow(3);
        clock.advance(PROBE_INTERVAL);
        breaker.finished(breaker.admit(), Outcome.ABANDONED);

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.admit()).isTrue();
    }

    @Test
    void constructor_zeroProbeInterval_refused() {
        assertThatThrownBy(() -> new KmsBreaker(ENDPOINT, 3, Duration.ZERO, Duration.ofSeconds(30), clock,
                (b, from, to) -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    private void failInARow(int calls) {
        for (int i = 0; i < calls; i++) {
            breaker.finished(breaker.admit(), Outcome.UNREACHABLE);
        }
    }
}
