package dev.atrest.terraform.provider;

import java.time.Duration;

/**
 * The clock and the pause a resource that waits (within its {@code timeouts}) uses: the system's in the
 * provider ({@link StoppableWaiting}, which Terraform's StopProvider cuts short), a virtual one in tests, so
 * waiting five minutes takes no time there.
 */
public interface Waiting {

    /** The provider process's: {@link ProviderService#stopProvider} ends every pause in it. */
    StoppableWaiting SYSTEM = new StoppableWaiting();

    long nanoTime();

    /** Pauses for {@code duration}; throws a CANCELLED status if the wait is cut short. */
    void sleep(Duration duration);
}
