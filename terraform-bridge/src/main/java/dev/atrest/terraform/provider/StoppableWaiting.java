package dev.atrest.terraform.provider;

import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Real time, with pauses that end at once when Terraform asks the provider to stop (its first Ctrl-C sends
 * StopProvider and then waits for the running calls to return): a project destroy waiting minutes for its
 * clusters must give up then, not hold the command until {@code timeouts.delete} runs out.
 */
public final class StoppableWaiting implements Waiting {

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleep(Duration duration) {
        try {
            if (stopped.await(duration.toNanos(), TimeUnit.NANOSECONDS) || stopped.getCount() == 0) {
                throw Status.CANCELLED.withDescription("Terraform asked the provider to stop (interrupt)")
                        .asRuntimeException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted while waiting").asRuntimeException();
        }
    }

    /** Ends every pause now running and every later one: the provider is stopping. */
    public void stop() {
        stopped.countDown();
    }
}
