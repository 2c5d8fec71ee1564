package dev.bookingplatform.web;

/**
 * What a short text that people will read back (a name on a receipt, in an e-mail) may contain: one line, without
 * control characters, Unicode line separators or text-direction overrides, which would make it show something other
 * than what was typed (a line break in a resource's name can add a line to a receipt). Joiners (U+200C, U+200D)
 * stay: Persian and emoji need them.
 */
public final class PlainText {

    /**
     * For {@code @Pattern}: written so that it means the same in Java and in the JavaScript dialect OpenAPI documents
     * use (anchored, no {@code \p{..}} classes, which JavaScript reads as letters without the {@code u} flag).
     */
    public static final String ONE_LINE = "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]*$";

    public static final String ONE_LINE_MESSAGE = "must be one line of plain text: no control characters, line breaks or"
            + " text-direction overrides";

    private PlainText() {
    }
}
