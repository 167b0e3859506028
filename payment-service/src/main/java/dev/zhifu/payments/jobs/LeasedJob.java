package dev.zhifu.payments.jobs;

import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One kind of background work over rows with leases: the table, which rows are due and which first. Declared once,
 * as a constant, by the feature that owns the table (e.g. {@code PaymentJobs}, {@code RefundSyncJob.DUE}), so the
 * SQL of what a job takes is written and reviewed where the table's other SQL is; {@link Leases} and
 * {@link BackgroundWork} take this object and never a table name or SQL text from their callers.
 *
 * @param name    what the job is called in an exception (not a metric name)
 * @param table   one of {@link Leases#TABLES}
 * @param due     the SQL condition of a due row, with named parameters (constant text; values go in {@code params})
 * @param orderBy which due rows first (constant text)
 * @param params  the named parameters of {@code due} for the time of a round
 */
public record LeasedJob(
        String name, String table, String due, String orderBy, Function<Instant, Map<String, Object>> params) {

    private static final Pattern ORDER = Pattern.compile("[a-z_]+( (ASC|DESC))?(, [a-z_]+( (ASC|DESC))?)*");

    public LeasedJob {
        if (!Leases.TABLES.contains(table)) {
            throw new IllegalArgumentException("job " + name + ": no leases on " + table);
        }
        if (!ORDER.matcher(orderBy).matches()) {
            throw new IllegalArgumentException("job " + name + ": order by columns only, got " + orderBy);
        }
    }

    /** A job whose condition has no parameters. */
    public static LeasedJob of(String name, String table, String due, String orderBy) {
        return new LeasedJob(name, table, due, orderBy, now -> Map.of());
    }
}
