package dev.atrest.terraform.provider;

import io.grpc.Status;
import java.time.Duration;

/**
 * The clock and the pause a resource that waits (within its {@code timeouts}) uses: the system's in the
 * provider, a virtual one in tests, so waiting five minutes takes no time there.
 */
public interface Waiting {

    Waiting SYSTEM = new Waiting() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Status.CANCELLED.withDescription("interrupted while waiting").asRuntimeException();
            }
        }
    };

    long nanoTime();

    void sleep(Duration duration);
}
