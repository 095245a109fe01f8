package dev.atrest.keyservice.domain;

/**
 * Etags are opaque to callers but derived from the row version, so that a stale etag can never match
 * a newer row.
 */
public final class Etags {
    private Etags() {}

    public static String of(long version) {
        return "v" + Long.toString(version, 36);
    }

    /** Throws if the caller sent an etag and it does not name {@code currentVersion}. */
    public static void check(String expected, long currentVersion, String what) {
        if (expected != null && !expected.isEmpty() && !expected.equals(of(currentVersion))) {
            throw new ConcurrentUpdateException(
                    what + " has changed since it was read (etag mismatch): read it again and retry");
        }
    }
}
