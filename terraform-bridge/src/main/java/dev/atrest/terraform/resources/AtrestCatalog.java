package dev.atrest.terraform.resources;

import dev.atrest.terraform.provider.Catalog;
import java.util.List;

/** The atrest provider's resources and data sources. */
public final class AtrestCatalog {

    private AtrestCatalog() {
    }

    public static Catalog create() {
        return new Catalog(
                List.of(new ProjectEncryptionResource(), new ClusterEncryptionResource(),
                        new DatabaseKeyRotationResource()),
                List.of(new ProjectEncryptionDataSource(), new ClusterEncryptionDataSource(), new ClusterKeysDataSource(),
                        new AlertsDataSource()));
    }
}
