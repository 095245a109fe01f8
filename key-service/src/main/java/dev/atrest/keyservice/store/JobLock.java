package dev.atrest.keyservice.store;

/**
 * A held job lock: a lease on the lock's row with a fencing token ({@link #fencingToken()}), renewed in
 * the background while held. It pins no connection. Every writing step of the job calls {@link #fence()}
 * in its own transaction, so that a step of a holder whose lock was taken over never commits. Closing it
 * releases the lock; if the holder dies instead, the lease runs out and another replica takes over.
 */
public final class JobLock implements AutoCloseable {
    private final String name;
    private final long fence;
    private final JobLocks locks;
    private volatile boolean lost;

    JobLock(String name, long fence, JobLocks locks) {
        this.name = name;
        this.fence = fence;
        this.locks = locks;
    }

    public String name() {
        return name;
    }

    /** Raised by one at every acquisition of the lock: what this holder's steps check. */
    public long fencingToken() {
        return fence;
    }

    /** False once a renewal or a step found the lock taken over: the job must stop. */
    public boolean isHeld() {
        return !lost;
    }

    /**
     * Checks, inside the calling step's transaction, that this holder still holds the lock, and extends
     * its lease. The check is a write to the lock's row, so it stays in the transaction's write set until
     * commit: a takeover on the same database node waits for the step and then finds the lease extended,
     * and on Galera one of the two fails certification. Call it in every step that writes the job's work.
     *
     * @throws LockLostException when the lock was taken over: the step must roll back (let it propagate)
     * @throws IllegalStateException outside a transaction, where the check would guard nothing
     */
    public void fence() {
        if (lost) {
            throw new LockLostException(name, fence);
        }
        locks.fence(this);
    }

    void lose() {
        lost = true;
    }

    @Override
    public void close() {
        locks.release(this);
    }

    @Override
    public String toString() {
        return "JobLock[" + name + ", fence " + fence + (lost ? ", lost" : "") + "]";
    }
}
