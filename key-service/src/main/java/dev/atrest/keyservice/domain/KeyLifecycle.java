package dev.atrest.keyservice.domain;

import java.util.TreeSet;

/**
 * The rules of a key version's life, ACTIVE → RETIRED → DESTROYED, shared by master and database keys.
 * RETIRED keys only unwrap (decrypt-only); DESTROYED is final. Nothing that something still needs is
 * ever destroyed: not the active version, not a master key that still wraps a live database key, not a
 * version a live snapshot recorded.
 */
public final class KeyLifecycle {
    private KeyLifecycle() {}

    /** Whether a key in {@code state} may wrap (encrypt) new key material: only the active one. */
    public static boolean mayWrap(KeyState state) {
        return state == KeyState.ACTIVE;
    }

    /** Whether a key in {@code state} may unwrap (decrypt) stored key material. */
    public static boolean mayUnwrap(KeyState state) {
        return state != KeyState.DESTROYED;
    }

    /** ACTIVE → RETIRED. Snapshots do not hold a key back from retiring: retired keys still decrypt. */
    public static LifecycleDecision retire(KeyVersionUse use) {
        return switch (use.state()) {
            case DESTROYED -> LifecycleDecision.refused("the key is destroyed, which is final");
            case RETIRED -> LifecycleDecision.alreadyDone("the key is already retired");
            case ACTIVE -> use.current()
                    ? LifecycleDecision.refused("cannot retire the current key: rotate to a new version instead")
                    : LifecycleDecision.proceed();
        };
    }

    /** RETIRED → DESTROYED: the key material is erased, the metadata kept. */
    public static LifecycleDecision destroy(KeyVersionUse use) {
        if (use.state() == KeyState.DESTROYED) {
            return LifecycleDecision.alreadyDone("the key is already destroyed");
        }
        if (use.state() == KeyState.ACTIVE || use.current()) {
            return LifecycleDecision.refused("cannot destroy an active key: retire it first");
        }
        if (use.wrappedKeys() > 0) {
            return LifecycleDecision.refused("the key still wraps " + use.wrappedKeys()
                    + " database keys: the rotation away from it has not finished");
        }
        if (use.referencedBySnapshot()) {
            return LifecycleDecision.refused("the key is needed by live snapshots: "
                    + String.join(",", new TreeSet<>(use.snapshotIds())));
        }
        return LifecycleDecision.proceed();
    }
}
