package dev.atrest.keyservice.snapshot;

import java.util.List;

/**
 * What releasing a snapshot did.
 *
 * @param released      whether a live snapshot was released (false when none was registered)
 * @param destroyedKeys the key versions destroyed because nothing needs them any more, e.g. "master_key:3"
 */
public record SnapshotRelease(boolean released, List<String> destroyedKeys) {
    public SnapshotRelease {
        destroyedKeys = List.copyOf(destroyedKeys);
    }
}
