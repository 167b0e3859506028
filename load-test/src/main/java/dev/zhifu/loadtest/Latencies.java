package dev.zhifu.loadtest;

import java.util.Arrays;

/** Latencies of one phase, in nanoseconds; thread-safe, bounded by the capacity given. */
public final class Latencies {

    private final long[] values;
    private int size;

    public Latencies(int capacity) {
        values = new long[capacity];
    }

    public synchronized void add(long nanos) {
        if (size < values.length) {
            values[size++] = nanos;
        }
    }

    public synchronized int count() {
        return size;
    }

    /** The q-quantile (0..1) in milliseconds, nearest-rank; NaN when empty. */
    public synchronized double percentileMillis(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }
}
