package dev.zhifu.payments.operations;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Background jobs, for every job of the service (the sweeps here, the sync and reconciliation jobs):
 * <ul>
 *   <li>{@code payments.jobs.runs{job, outcome=success|failure}}: one per run;</li>
 *   <li>{@code payments.jobs.last.success{job}}: epoch seconds of the last successful run (0 = never);</li>
 *   <li>{@code payments.job.item{job}}: a timer and a span per item a run handles ({@link #item});</li>
 *   <li>{@code payments.reconciliation.discrepancies{kind}}: discrepancies found by reconciliation.</li>
 * </ul>
 * Names of jobs are short snake_case constants; every job below, and every discrepancy kind reconciliation names
 * ({@link #discrepancyKinds}), exists at zero from start-up.
 */
@Component
public class JobMetrics {

    public static final String RUNS = "payments.jobs.runs";
    public static final String LAST_SUCCESS = "payments.jobs.last.success";
    public static final String ITEM = "payments.job.item";
    public static final String DISCREPANCIES = "payments.reconciliation.discrepancies";

    public static final String WEBHOOK_DISPATCH = "webhook_dispatch";
    public static final String BARCODE_POLL = "barcode_poll";
    public static final String SYNC = "sync";
    public static final String RECONCILIATION = "reconciliation";
    public static final List<String> JOBS = List.of(WEBHOOK_DISPATCH, BARCODE_POLL, SYNC, RECONCILIATION);

    public enum Outcome {
        SUCCESS,
        FAILURE
    }

    private final MeterRegistry registry;
    private final ObjectProvider<ObservationRegistry> observations;
    private final Clock clock;
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

    public JobMetrics(MeterRegistry registry, ObjectProvider<ObservationRegistry> observations, Clock clock) {
        this.registry = registry;
        this.observations = observations;
        this.clock = clock;
        JOBS.forEach(job -> {
            runs(job, Outcome.SUCCESS);
            runs(job, Outcome.FAILURE);
            lastSuccess(job);
        });
    }

    /**
     * Registers the discrepancy kinds reconciliation reports at zero (it names them at start-up; another kind is
     * registered when first counted).
     */
    public void discrepancyKinds(Collection<String> kinds) {
        kinds.forEach(this::discrepancyCounter);
    }

    /** Records one finished run of {@code job}. */
    public void run(String job, Outcome outcome) {
        runs(job, outcome).increment();
        if (outcome == Outcome.SUCCESS) {
            lastSuccess(job).set(clock.instant().getEpochSecond());
        }
    }

    /** Runs {@code body} as one run of {@code job}: a failure (exception) is counted and rethrown. */
    public <T> T run(String job, Supplier<T> body) {
        try {
            T result = body.get();
            run(job, Outcome.SUCCESS);
            return result;
        } catch (RuntimeException | Error e) {
            run(job, Outcome.FAILURE);
            throw e;
        }
    }

    /**
     * Handles one item of a job (a payment swept, an event posted) in its own observation: a span
     * {@code payments.job.item} with the job and the item's id, and a timer tagged by job.
     */
    public <T> T item(String job, String itemId, Supplier<T> body) {
        ObservationRegistry registry = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
        return Observation.createNotStarted(ITEM, registry)
                .contextualName(job + " item")
                .lowCardinalityKeyValue("job", job)
                .highCardinalityKeyValue("item.id", itemId == null ? "none" : itemId)
                .observe(body);
    }

    public void item(String job, String itemId, Runnable body) {
        item(job, itemId, () -> {
            body.run();
            return null;
        });
    }

    /** Adds {@code count} discrepancies of {@code kind} (e.g. {@code amount_mismatch}) found by reconciliation. */
    public void discrepancies(String kind, long count) {
        if (count > 0) {
            discrepancyCounter(kind).increment(count);
        }
    }

    private Counter runs(String job, Outcome outcome) {
        return Counter.builder(RUNS)
                .description("Background job runs, by job and outcome")
                .tag("job", job)
                .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry);
    }

    private AtomicLong lastSuccess(String job) {
        return lastSuccess.computeIfAbsent(job, j -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(LAST_SUCCESS, value, AtomicLong::get)
                    .description("When the job last succeeded (epoch seconds)")
                    .tag("job", j)
                    .baseUnit("seconds")
                    .register(registry);
            return value;
        });
    }

    private Counter discrepancyCounter(String kind) {
        return Counter.builder(DISCREPANCIES)
                .description("Discrepancies found by reconciliation, by kind")
                .tag("kind", kind)
                .register(registry);
    }
}
