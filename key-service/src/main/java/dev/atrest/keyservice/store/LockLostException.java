package dev.atrest.keyservice.store;

/**
 * A job's lock was taken over (its lease ran out and another holder took it): the step that found out
 * rolls back, and the job stops; the new holder carries on from what is stored.
 */
public final class LockLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LockLostException(String name, long fence) {
        super("job lock " + name + " (fence " + fence + ") was taken over by another holder; this run stops");
    }
}
