package dev.atrest.keyservice.domain;

import java.util.ArrayList;
import java.util.List;

/** Collects every broken input rule of a request so that the caller learns them all at once. */
public final class Violations {
    private final List<FieldViolation> found = new ArrayList<>();

    public Violations add(String field, String description) {
        found.add(new FieldViolation(field, description));
        return this;
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    /** Throws if anything was found; call once, after every rule has been checked. */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new InvalidArgumentException(found);
        }
    }
}
