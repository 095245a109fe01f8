package dev.atrest.terraform.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StoppableWaitingTest {

    @Test
    void sleep_notStopped_returnsAfterThePause() {
        StoppableWaiting waiting = new StoppableWaiting();

        waiting.sleep(Duration.ofMillis(1));
    }

    @Test
    void sleep_stoppedWhileWaiting_endsWithCancelled() throws Exception {
        StoppableWaiting waiting = new StoppableWaiting();
        CompletableFuture<Throwable> sleeper = CompletableFuture.supplyAsync(() -> {
            try {
                waiting.sleep(Duration.ofMinutes(5));
                return null;
            } catch (StatusRuntimeException e) {
                return e;
            }
        });

        waiting.stop();

        assertThat(sleeper.get(30, TimeUnit.SECONDS)).isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.CANCELLED));
    }

    @Test
    void sleep_afterStop_endsAtOnceEvenForNoPause() {
        StoppableWaiting waiting = new StoppableWaiting();
        waiting.stop();

        assertThatThrownBy(() -> waiting.sleep(Duration.ZERO)).isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining("asked the provider to stop");
    }
}
