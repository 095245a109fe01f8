package dev.atrest.keyservice.access;

import dev.atrest.keyservice.domain.AccessToken;

/** A token just created, with its secret: the only moment the secret exists outside the caller. */
public record CreatedAccessToken(AccessToken token, String secret) {
    @Override
    public String toString() {
        return "CreatedAccessToken[" + token + ", secret=(hidden)]";
    }
}
