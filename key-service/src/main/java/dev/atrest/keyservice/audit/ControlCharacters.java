package dev.atrest.keyservice.audit;

/**
 * Makes a field of a new audit record safe to store, list and print: every character a terminal, a log
 * viewer or a spreadsheet would act on instead of show is replaced by a visible escape. Without it, a caller
 * who names a resource "p1&#92;x1b[2K&#92;rOK" (ESC, CR) writes a record that prints as something else (ESC clears
 * the line, CR rewinds it), and a bidi override reorders what a reviewer reads.
 *
 * <p>Escaped: C0 controls (tab, newline and carriage return as {@code \t \n \r}, the others as
 * {@code \xHH}), DEL, C1 controls, the bidi embeddings, overrides, isolates and marks, the line and paragraph
 * separators (U+2028, U+2029) and unpaired surrogates (as &#92;u{HHHH}), and the backslash itself
 * ({@code \\}), so that a literal {@code \x1b} typed by a caller never reads as an escaped ESC. Applied where
 * records are created ({@link RecordLimits#fit}), never to records read back: a stored record's MAC covers
 * exactly what it held when it was chained.
 */
public final class ControlCharacters {
    private ControlCharacters() {}

    /** {@code text} with every unsafe character escaped; the same instance when there is none (the usual case). */
    public static String escape(String text) {
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i)); // a well-formed pair (emoji, CJK extensions): kept
            } else if (unsafe(c)) {
                appendEscape(out, c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (unsafe(c)) {
                return i;
            }
        }
        return -1;
    }

    static boolean unsafe(char c) {
        return c < 0x20 || c == '\\' || (c >= 0x7f && c <= 0x9f) || bidiOrSeparator(c) || Character.isSurrogate(c);
    }

    /** U+061C ALM, U+200E/F LRM/RLM, U+202A-E embeddings and overrides, U+2066-9 isolates, U+2028/9 separators. */
    private static boolean bidiOrSeparator(char c) {
        return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    private static void appendEscape(StringBuilder out, char c) {
        switch (c) {
            case '\\' -> out.append("\\\\");
            case '\t' -> out.append("\\t");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            default -> {
                if (c <= 0xff) {
                    out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                } else {
                    out.append("\\u{").append(Integer.toHexString(c)).append('}');
                }
            }
        }
    }
}
