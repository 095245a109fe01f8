package dev.atrest.keyservice.domain;

/** The LOCAL provider: a named root key in a file under the data directory (development only). */
public record LocalKeySettings(String keyId) implements RootKeyConfig {
    public static final String DEFAULT_KEY_ID = "default";

    @Override
    public Provider provider() {
        return Provider.LOCAL;
    }

    @Override
    public boolean sameKeyAs(RootKeyConfig other) {
        return other instanceof LocalKeySettings local && keyId.equals(local.keyId);
    }
}
