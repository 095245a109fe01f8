package dev.atrest.contract;

/**
 * The atrest.v1 rule for identifiers (project ids, cluster, database and snapshot names, local key ids):
 * 1 to 64 characters of [A-Za-z0-9_-], starting with a letter or digit. The key service and the Terraform
 * provider both check it, so they accept exactly the same values; each says in its own words what is wrong.
 * Plain Java, apart from the generated classes, so that the service's framework-free domain can use it.
 */
public final class IdentifierRule {
    public static final int MAX_LENGTH = 64;

    /** The rule as a regular expression over the whole value (for documentation and tests; see {@link #matches}). */
    public static final String REGEX = "[A-Za-z0-9][A-Za-z0-9_-]{0," + (MAX_LENGTH - 1) + "}";

    private IdentifierRule() {
    }

    /** Whether {@code value} is a well-formed identifier; null is not. */
    public static boolean matches(String value) {
        // A loop rather than the regular expression: GetDatabaseKey checks three identifiers per call, and a
        // Matcher allocates its state (and an int[] of groups) each time.
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || !isLetterOrDigit(value.charAt(0))) {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isLetterOrDigit(c) && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
