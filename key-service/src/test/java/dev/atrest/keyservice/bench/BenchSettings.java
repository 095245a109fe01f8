package dev.atrest.keyservice.bench;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/**
 * The rotation benchmark's knobs ({@code -Datrest.bench.*}, see key-service/bench/rotation.sh). Mapped
 * here because the service checks every {@code atrest.} property against a mapping.
 */
@ConfigMapping(prefix = "atrest.bench")
public interface BenchSettings {
    /** Cluster sizes to rotate, in database keys. */
    @WithDefault("10000,100000")
    List<Integer> sizes();

    /** Alternating rounds (raw update, rotation) per size; the table shows the medians. */
    @WithDefault("3")
    int rounds();

    /** How often GetRotationStatus is polled while a rotation runs, in milliseconds. */
    @WithDefault("200")
    long pollMs();
}
