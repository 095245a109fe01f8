package dev.atrest.keyservice.domain;

import java.util.List;

/** The request breaks input rules; nothing was stored. */
public final class InvalidArgumentException extends AtrestException {
    private final List<FieldViolation> violations;

    public InvalidArgumentException(List<FieldViolation> violations) {
        super(summarise(violations));
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("an invalid argument needs at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    public static InvalidArgumentException of(String field, String description) {
        return new InvalidArgumentException(List.of(new FieldViolation(field, description)));
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    private static String summarise(List<FieldViolation> violations) {
        StringBuilder message = new StringBuilder("invalid request: ");
        for (int i = 0; i < violations.size(); i++) {
            FieldViolation v = violations.get(i);
            message.append(i == 0 ? "" : "; ").append(v.field()).append(": ").append(v.description());
        }
        return message.toString();
    }
}
