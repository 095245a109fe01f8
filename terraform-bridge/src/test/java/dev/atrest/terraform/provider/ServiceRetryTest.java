package dev.atrest.terraform.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceRetryTest {

    private final List<Duration> pauses = new ArrayList<>();
    private final ManagedChannel channel = InProcessChannelBuilder.forName("never-dialled").build();
    private final AtrestClient client = AtrestClient.over(channel, new Waiting() {
        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public void sleep(Duration duration) {
            pauses.add(duration);
        }
    });

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    @Test
    void write_abortedTwice_sentThreeTimesWithGrowingShortPauses() {
        AtomicInteger calls = new AtomicInteger();

        String answer = ServiceRetry.write(client, failing(2, Status.ABORTED, calls));

        assertThat(answer).isEqualTo("stored");
        assertThat(calls).hasValue(3);
        assertThat(pauses).hasSize(2).allSatisfy(pause -> assertThat(pause).isLessThan(Duration.ofMillis(200)));
    }

    @Test
    void read_aborted_notRetried() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> ServiceRetry.read(client, failing(1, Status.ABORTED, calls)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
        assertThat(calls).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void readAndWrite_unavailableForAWhile_retriedWithBackoffUntilAnswered() {
        AtomicInteger calls = new AtomicInteger();

        assertThat(ServiceRetry.read(client, failing(4, Status.UNAVAILABLE, calls))).isEqualTo("stored");
        assertThat(ServiceRetry.write(client, failing(1, Status.UNAVAILABLE, new AtomicInteger()))).isEqualTo("stored");

        assertThat(calls).hasValue(5);
        assertThat(pauses).hasSize(5);
        for (int i = 0; i < 4; i++) {
            Duration base = Duration.ofMillis(500L << i);
            assertThat(pauses.get(i)).isBetween(base, base.plus(base.dividedBy(2)));
        }
    }

    @Test
    void write_unavailableWithRetryInfo_pausesAsTheServiceAskedCappedAtEightSeconds() {
        ServiceRetry.write(client, failingWith(retryInfo(Duration.ofSeconds(3)), 1));
        ServiceRetry.write(client, failingWith(retryInfo(Duration.ofMinutes(5)), 1));

        assertThat(pauses.get(0)).isBetween(Duration.ofSeconds(3), Duration.ofMillis(4500));
        assertThat(pauses.get(1)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
    }

    @Test
    void read_unavailableThroughout_givesUpAfterSixAttemptsWithTheLastError() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> ServiceRetry.read(client, failing(100, Status.UNAVAILABLE, calls)))
                .isInstanceOf(StatusRuntimeException.class);
        assertThat(calls).hasValue(6);
        assertThat(pauses.stream().reduce(Duration.ZERO, Duration::plus))
                .isBetween(Duration.ofMillis(15_500), Duration.ofMillis(23_250));
    }

    @Test
    void write_otherCodes_notRetried() {
        for (Status status : List.of(Status.INVALID_ARGUMENT, Status.FAILED_PRECONDITION, Status.PERMISSION_DENIED,
                Status.INTERNAL, Status.DEADLINE_EXCEEDED)) {
            AtomicInteger calls = new AtomicInteger();
            assertThatThrownBy(() -> ServiceRetry.write(client, failing(1, status, calls)))
                    .isInstanceOf(StatusRuntimeException.class);
            assertThat(calls).as(status.getCode().name()).hasValue(1);
        }
        assertThat(pauses).isEmpty();
    }

    private static Supplier<String> failing(int times, Status status, AtomicInteger calls) {
        return () -> {
            if (calls.incrementAndGet() <= times) {
                throw status.withDescription("attempt " + calls.get()).asRuntimeException();
            }
            return "stored";
        };
    }

    private static Supplier<String> failingWith(StatusRuntimeException error, int times) {
        AtomicInteger calls = new AtomicInteger();
        return () -> {
            if (calls.incrementAndGet() <= times) {
                throw error;
            }
            return "stored";
        };
    }

    private static StatusRuntimeException retryInfo(Duration delay) {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.UNAVAILABLE.getNumber()).setMessage("writer moving")
                .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
                        .setSeconds(delay.getSeconds())).build())).build());
    }
}
