package dev.atrest.terraform.resources;

import dev.atrest.terraform.provider.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/** A clock that moves only when the code under test sleeps: five minutes of waiting take no time. */
final class VirtualWaiting implements Waiting {

    final List<Duration> sleeps = new ArrayList<>();
    private long nanos;
    /** Runs after each sleep with the number of sleeps so far: what other clients did meanwhile. */
    IntConsumer afterSleep = count -> { };

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        nanos += duration.toNanos();
        afterSleep.accept(sleeps.size());
    }

    Duration slept() {
        return Duration.ofNanos(nanos);
    }
}
