package dev.atrest.contract;

import java.util.regex.Pattern;

/**
 * The atrest.v1 rule for identifiers (project ids, cluster, database and snapshot names, local key ids):
 * 1 to 64 characters of [A-Za-z0-9_-], starting with a letter or digit. The key service and the Terraform
 * provider both check it, so they accept exactly the same values; each says in its own words what is wrong.
 * Plain Java, apart from the generated classes, so that the service's framework-free domain can use it.
 */
public final class IdentifierRule {
    public static final int MAX_LENGTH = 64;

    /** The rule as a regular expression over the whole value. */
    public static final String REGEX = "[A-Za-z0-9][A-Za-z0-9_-]{0," + (MAX_LENGTH - 1) + "}";

    private static final Pattern PATTERN = Pattern.compile(REGEX);

    private IdentifierRule() {
    }

    /** Whether {@code value} is a well-formed identifier; null is not. */
    public static boolean matches(String value) {
        return value != null && PATTERN.matcher(value).matches();
    }
}
