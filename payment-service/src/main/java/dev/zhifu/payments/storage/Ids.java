package dev.zhifu.payments.storage;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Resource ids ({@code pay_…}, {@code re_…}, {@code evt_…}): a type prefix and 24 base-32 characters, of which
 * the first 10 are the creation time in milliseconds and the last 14 random (70 bits).
 * <p>
 * Time first so that a new row's key lands at the end of each index that holds it, as the rows before it did.
 * With wholly random ids every insert touched a random page of the primary key and of the indexes keyed by a
 * payment's id, so the pages each insert needs grew with the table. In 10-minute soaks on H2 (whose page cache
 * holds 16 MB) the last minutes cost 2.2-2.9 ms of CPU per request with random ids and 1.7-1.9 ms with these,
 * and the file was a fifth smaller (BENCHMARKS.md, "Soak and idle cost"). InnoDB, which keeps rows in
 * primary-key order, splits pages the same way (not measured here). The random part keeps ids unguessable; they
 * are not credentials in any case (every endpoint that takes one checks the caller's key first).
 */
public final class Ids {

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int TIME_CHARS = 10; // 50 bits of milliseconds: in order until the year 37,648
    static final int RANDOM_CHARS = 14;

    private Ids() {}

    public static String next(String prefix) {
        return next(prefix, Clock.systemUTC());
    }

    static String next(String prefix, Clock clock) {
        char[] out = new char[TIME_CHARS + RANDOM_CHARS];
        long millis = clock.millis();
        for (int i = TIME_CHARS - 1; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        for (int i = TIME_CHARS; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return prefix + "_" + new String(out);
    }

    /** {@code length} random base-32 characters: secrets, tickets, names that must not collide. */
    public static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
