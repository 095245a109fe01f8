package dev.atrest.keyservice.support;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Every @QuarkusTest class carries this, so they all share one running service (same resources, no
 * restart): a real MariaDB and a real moto.
 */
@QuarkusTestResource(value = TestDatabase.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = Moto.class, restrictToAnnotatedClass = false)
public final class KeyServiceTestProfile {
    private KeyServiceTestProfile() {}
}
