package dev.atrest.keyservice.fault;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Durations;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a run of calls that need KMS ended while KMS was down: each call's time, and whether it waited out
 * the KMS timeouts (UNAVAILABLE without ErrorInfo) or was refused at once by the breaker (UNAVAILABLE with
 * ErrorInfo KMS_UNAVAILABLE and RetryInfo).
 */
final class KmsOutageCalls {
    /** One call's end. */
    record Answer(Duration took, Status.Code code, Optional<ErrorInfo> refusal, Optional<Duration> retryAfter) {
        boolean refusedByBreaker() {
            return code == Status.Code.UNAVAILABLE && refusal.filter(i -> i.getReason().equals("KMS_UNAVAILABLE"))
                    .isPresent();
        }
    }

    final List<Answer> answers = new ArrayList<>();
    private Duration total = Duration.ZERO;

    /** Runs {@code calls} calls one after the other; each must fail (KMS is down). */
    static KmsOutageCalls run(int calls, Runnable call) {
        KmsOutageCalls run = new KmsOutageCalls();
        for (int i = 0; i < calls; i++) {
            long started = System.nanoTime();
            try {
                call.run();
                throw new AssertionError("call " + i + " succeeded although KMS is down");
            } catch (StatusRuntimeException e) {
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                run.total = run.total.plus(took);
                run.answers.add(answer(took, e));
            }
        }
        return run;
    }

    /**
     * Calls as a client should while the breaker refuses: again after each refusal's RetryInfo, up to a minute.
     * Any other answer, an error included, is returned or thrown as it is.
     */
    static <T> T afterRefusals(Supplier<T> call) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                Answer answer = answer(Duration.ZERO, e);
                if (!answer.refusedByBreaker() || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(answer.retryAfter().orElse(Duration.ofSeconds(1)).toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    Duration total() {
        return total;
    }

    List<Answer> refused() {
        return answers.stream().filter(Answer::refusedByBreaker).toList();
    }

    List<Answer> waited() {
        return answers.stream().filter(a -> !a.refusedByBreaker()).toList();
    }

    static Answer answer(Duration took, StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        Optional<ErrorInfo> info = Optional.empty();
        Optional<Duration> retryAfter = Optional.empty();
        for (Any detail : status == null ? List.<Any>of() : status.getDetailsList()) {
            try {
                if (detail.is(ErrorInfo.class)) {
                    info = Optional.of(detail.unpack(ErrorInfo.class));
                } else if (detail.is(RetryInfo.class)) {
                    retryAfter = Optional.of(Duration.ofMillis(
                            Durations.toMillis(detail.unpack(RetryInfo.class).getRetryDelay())));
                }
            } catch (InvalidProtocolBufferException unreadable) {
                throw new AssertionError("an unreadable detail in " + e.getStatus(), unreadable);
            }
        }
        return new Answer(took, e.getStatus().getCode(), info, retryAfter);
    }
}
