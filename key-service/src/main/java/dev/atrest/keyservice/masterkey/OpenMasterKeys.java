package dev.atrest.keyservice.masterkey;

import dev.atrest.keyservice.crypto.KeyMaterial;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A cluster's master keys opened for one re-wrap run, by version: each is unwrapped by KMS once, not
 * once per database key, and every plaintext is zeroed when the run ends.
 */
public final class OpenMasterKeys implements AutoCloseable {
    private final Map<Integer, KeyMaterial> open = new HashMap<>();

    public KeyMaterial get(int version, IntFunction<KeyMaterial> opener) {
        return open.computeIfAbsent(version, opener::apply);
    }

    @Override
    public void close() {
        open.values().forEach(KeyMaterial::close);
        open.clear();
    }
}
