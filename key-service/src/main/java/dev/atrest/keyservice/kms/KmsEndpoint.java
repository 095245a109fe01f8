package dev.atrest.keyservice.kms;

import java.util.Map;

/**
 * Where KMS calls go: an endpoint (the service-wide override, or AWS's regional KMS endpoint) and the
 * region signed for. What one breaker guards; both are labels on its metric and in its errors, so they
 * carry no credentials and no key ids.
 */
public record KmsEndpoint(String url, String region) {

    Map<String, String> labels() {
        return Map.of("endpoint", url, "region", region);
    }

    @Override
    public String toString() {
        return url + " (" + region + ")";
    }
}
