package dev.atrest.keyservice.audit;

/**
 * Told, on the audit writer's thread, where the chain stands: after every append and whenever the writer
 * is idle. Must return quickly and never throw: the writer is the only way records reach the database.
 */
interface HeadWatcher {
    HeadWatcher NONE = new HeadWatcher() {
        @Override
        public void appended(ChainHead head) {}

        @Override
        public void idle() {}
    };

    /** Records up to {@code head} are committed; its MAC is the one this service computed. */
    void appended(ChainHead head);

    /** Nothing was queued for a moment. */
    void idle();
}
