package dev.atrest.keyservice.domain;

import java.util.Comparator;
import java.util.Objects;

/** One database-key version of a cluster, by name. Ordered so that plans list keys deterministically. */
public record DatabaseKeyRef(String databaseName, int version) implements Comparable<DatabaseKeyRef> {
    private static final Comparator<DatabaseKeyRef> ORDER =
            Comparator.comparing(DatabaseKeyRef::databaseName).thenComparingInt(DatabaseKeyRef::version);

    public DatabaseKeyRef {
        Objects.requireNonNull(databaseName, "databaseName");
    }

    @Override
    public int compareTo(DatabaseKeyRef other) {
        return ORDER.compare(this, other);
    }
}
