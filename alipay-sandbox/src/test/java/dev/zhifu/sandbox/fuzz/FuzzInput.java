package dev.zhifu.sandbox.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns one fuzzer input into the few values a target needs, in a layout a person can write by hand: parts
 * are separated by NUL bytes, so a seed file is readable text (see the {@code *Inputs} directories).
 */
public final class FuzzInput {

    private FuzzInput() {
    }

    /** The input cut at its first {@code parts - 1} NUL bytes; missing parts are empty. */
    public static byte[][] split(byte[] input, int parts) {
        byte[][] out = new byte[parts][];
        int from = 0;
        for (int p = 0; p < parts - 1; p++) {
            int nul = from;
            while (nul < input.length && input[nul] != 0) {
                nul++;
            }
            out[p] = Arrays.copyOfRange(input, from, nul);
            from = Math.min(nul + 1, input.length);
        }
        out[parts - 1] = Arrays.copyOfRange(input, from, input.length);
        return out;
    }

    /** UTF-8 text, malformed bytes replaced (the targets that take text want text, not decoding errors). */
    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * {@code name=value} pairs separated by {@code &} or line breaks, taken literally (no percent-decoding): the
     * parameters a sender means, before any encoding. A name without {@code =} gets an empty value.
     */
    public static Map<String, String> params(String text) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : text.split("[&\n]", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            params.putIfAbsent(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        return params;
    }
}
