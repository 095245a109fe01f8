package dev.atrest.keyservice.domain;

/**
 * How far a rotation has come, computed from the stored hierarchy alone, so it reads the same after a
 * restart. Database keys created during the rotation go under the new version at once and count as done.
 *
 * @param masterKeyCreated whether the target version is stored yet
 * @param rewrapped        live database keys wrapped by the target version
 * @param total            all live database keys of the cluster
 */
public record RotationProgress(int targetVersion, boolean masterKeyCreated, int rewrapped, int total) {

    public static RotationProgress of(KeyRing ring, int targetVersion) {
        return new RotationProgress(targetVersion, ring.masterKeyState(targetVersion).isPresent(),
                ring.wrappedCount(targetVersion), ring.wrappedBy().size());
    }

    public boolean finished() {
        return masterKeyCreated && rewrapped == total;
    }
}
