package dev.atrest.terraform.resources;

import static dev.atrest.terraform.wire.Attribute.optional;

import dev.atrest.terraform.provider.Diagnostics;
import dev.atrest.terraform.provider.GoDuration;
import dev.atrest.terraform.wire.Block;
import dev.atrest.terraform.wire.CtyType;
import dev.atrest.terraform.wire.Values;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Terraform's convention for how long an operation may take: a nested block {@code timeouts} with optional
 * Go-duration strings. Only the operations that wait have one: a project's delete waits for its clusters'
 * deletes; nothing else here waits for anything (each call answers or fails within its own deadline).
 * Stored in state like any attribute, so a destroy, which has no configuration, still knows its timeout.
 */
final class Timeouts {

    static final String BLOCK = "timeouts";
    static final String DELETE = "delete";
    static final Duration DEFAULT_DELETE = Duration.ofMinutes(5);

    static final Block.NestedBlock PROJECT = new Block.NestedBlock(BLOCK, Block.Nesting.SINGLE, Block.of(
            "How long operations may take, in Go duration syntax (`30s`, `5m`, `1h2m`).", List.of(
            optional(DELETE, CtyType.STRING, "How long destroy waits for the project's clusters to be disabled "
                    + "(their resources are often destroyed at the same time) before it fails with the key "
                    + "service's refusal; default `5m`."))));

    private Timeouts() {
    }

    /** An attribute error for each timeout that is not a positive Go duration; unknown values wait for apply. */
    static void check(Map<String, Object> config, Diagnostics diagnostics) {
        if (Values.object(config.get(BLOCK)).get(DELETE) instanceof String text && parse(text) == null) {
            diagnostics.attributeError(BLOCK + "." + DELETE, "invalid timeouts.delete", "timeouts.delete must be a "
                    + "positive duration such as \"30s\", \"5m\" or \"1h2m\"; got " + Diagnostics.quote(text));
        }
    }

    /** The delete timeout recorded in {@code state}, or the default. */
    static Duration delete(Map<String, Object> state) {
        String text = Values.string(Values.object(state.get(BLOCK)), DELETE);
        Duration parsed = text == null ? null : parse(text);
        return parsed == null ? DEFAULT_DELETE : parsed;
    }

    private static Duration parse(String text) {
        Duration duration = GoDuration.parse(text);
        return duration == null || duration.isZero() ? null : duration;
    }

    /** The value without its timeouts: what decides whether anything but a timeout changed. */
    static Map<String, Object> without(Map<String, Object> value) {
        Map<String, Object> copy = Values.copy(value);
        copy.remove(BLOCK);
        return copy;
    }
}
