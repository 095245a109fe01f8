package dev.atrest.keyservice.domain;

/**
 * One broken input rule: which field (in request terms, e.g. {@code project_encryption.aws_kms.region})
 * and which rule it breaks. The description never repeats the offending value, which may be a secret
 * or ten thousand characters long.
 */
public record FieldViolation(String field, String description) {}
