package dev.atrest.keyservice.support;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * Strings for fuzz tests. Besides plain fuzzed text, a value can be a fragment repeated thousands of times
 * after a prefix: the shape that breaks regular expressions and length assumptions, and which a fuzzer
 * limited to a few kilobytes of input would otherwise never build.
 */
public final class FuzzInputs {
    private static final int MAX_REPEATS = 20_000;

    private FuzzInputs() {}

    public static String text(FuzzedDataProvider data) {
        if (!data.consumeBoolean()) {
            return data.consumeString(200);
        }
        String prefix = data.consumeString(80);
        String fragment = data.consumeString(8);
        return prefix + fragment.repeat(data.consumeInt(0, MAX_REPEATS)) + data.consumeString(80);
    }
}
