package dev.zhifu.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Random but reproducible cases for {@code @ParameterizedTest @MethodSource}: case {@code i} of a test draws
 * from its own {@code java.util.Random} seeded with {@code seed(i)}, and the seed is in the case's display
 * name, so a failing case can be re-made alone. The base seed is fixed so every run tries the same inputs;
 * {@code -Dseeded.cases.seed=<n>} runs another set.
 */
public final class SeededCases {

    /** Fixed so that a build is deterministic; change it (or the property) to explore other inputs. */
    public static final long DEFAULT_SEED = 20_240_601L;

    private SeededCases() {
    }

    public static long baseSeed() {
        return Long.getLong("seeded.cases.seed", DEFAULT_SEED);
    }

    /** The seed of case {@code index}: distinct per case, the same in every run with the same base seed. */
    public static long seed(int index) {
        return baseSeed() * 0x9E3779B97F4A7C15L + index;
    }

    /** {@code count} cases, each the arguments {@code make} builds from the case's own random source. */
    public static Stream<Arguments> of(int count, Function<Random, Object[]> make) {
        return IntStream.range(0, count).mapToObj(i -> {
            long seed = seed(i);
            return Arguments.argumentSet("case " + i + " (seed " + seed + ")", make.apply(new Random(seed)));
        });
    }

    // ------------------------------------------------------------------ small generators

    /** One of {@code values}, uniformly. */
    @SafeVarargs
    public static <T> T oneOf(Random r, T... values) {
        return values[r.nextInt(values.length)];
    }

    public static <T> T oneOf(Random r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    /** A string of 0..maxLength characters, each drawn by {@code chars}; empty somewhat more often than chance. */
    public static String string(Random r, int maxLength, Function<Random, Character> chars) {
        int length = r.nextInt(10) == 0 ? 0 : r.nextInt(maxLength + 1);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(chars.apply(r));
        }
        return s.toString();
    }

    /**
     * Any text, up to {@code maxLength} characters: mostly printable ASCII, also control characters, Latin-1,
     * CJK, other BMP characters and whole emoji (never a lone surrogate).
     */
    public static String anyString(Random r, int maxLength) {
        int length = r.nextInt(10) == 0 ? 0 : r.nextInt(maxLength + 1);
        StringBuilder s = new StringBuilder(length + 1);
        while (s.length() < length) {
            switch (r.nextInt(10)) {
                case 0 -> s.append((char) r.nextInt(0x20));
                case 1 -> s.append(between(r, '\u00a0', '\u00ff'));
                case 2 -> s.append(between(r, '\u4e00', '\u9fff'));
                case 3 -> {
                    char c = between(r, '\u0100', '\ufffd');
                    s.append(Character.isSurrogate(c) ? '\ufffd' : c);
                }
                case 4 -> s.appendCodePoint(0x1F600 + r.nextInt(0x50));
                default -> s.append(between(r, ' ', '~'));
            }
        }
        return s.toString();
    }

    /** Random bytes, {@code min..max} of them, each in {@code [from, to]} (unsigned). */
    public static byte[] bytes(Random r, int min, int max, int from, int to) {
        byte[] b = new byte[min + r.nextInt(max - min + 1)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (from + r.nextInt(to - from + 1));
        }
        return b;
    }

    /** A character from {@code [from, to]}. */
    public static char between(Random r, char from, char to) {
        return (char) (from + r.nextInt(to - from + 1));
    }

    /** Elements of {@code element}, {@code min..max} of them. */
    public static <T> List<T> list(Random r, int min, int max, Function<Random, T> element) {
        int size = min + r.nextInt(max - min + 1);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.apply(r));
        }
        return list;
    }
}
