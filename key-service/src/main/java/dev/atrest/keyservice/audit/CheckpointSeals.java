package dev.atrest.keyservice.audit;

import dev.atrest.keyservice.crypto.KeyMaterial;
import dev.atrest.keyservice.crypto.SecretSealer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The retention checkpoint's MAC key: from the seal key, for this purpose alone, so it is never in the database. */
@ApplicationScoped
class CheckpointSeals {
    /** The HKDF info of the checkpoint key; changing it makes every stored checkpoint fail verification. */
    static final String CHECKPOINT_KEY_PURPOSE = "atrest audit checkpoint v1";

    @Produces
    @Singleton
    CheckpointSeal checkpointSeal(SecretSealer sealer) {
        try (KeyMaterial key = sealer.deriveKey(CHECKPOINT_KEY_PURPOSE)) {
            return new CheckpointSeal(key);
        }
    }
}
