package dev.zhifu.payments.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Whether the database answers, asked every {@code payments.database.check-interval} by a thread of its own, so
 * that neither a readiness probe nor a request ever waits for the answer: {@link #health()} (the {@code db}
 * component of {@code /actuator/health/readiness}, in place of Spring Boot's, whose check waits as long as the
 * pool does) reports the last result, and a check that has not answered within
 * {@code payments.database.check-timeout} counts as the database unreachable. Background work pauses while it is
 * ({@link #reachable()}).
 * <p>
 * An outage is logged twice, when it starts and when it ends (with its length), however many requests fail in
 * between; the meters {@code payments.database.up}, {@code payments.database.unreachable} (seconds the current
 * outage has lasted, 0 when reachable) and {@code payments.database.outages} say the same to Prometheus.
 */
@Component("dbHealthIndicator")
@EnableConfigurationProperties(DatabaseProperties.class)
public class DatabaseHealth implements HealthIndicator, SmartLifecycle {

    public static final String UP = "payments.database.up";
    public static final String UNREACHABLE = "payments.database.unreachable";
    public static final String OUTAGES = "payments.database.outages";

    private static final Logger log = LoggerFactory.getLogger(DatabaseHealth.class);
    /** How often the watcher looks at a check in progress: well below the check timeout. */
    private static final long TICK_MILLIS = 100;

    /** Since when (System.nanoTime) the database has been unreachable, and why; null while it answers. */
    private record Outage(long sinceNanos, String reason) {}

    private final DataSource dataSource;
    private final DatabaseProperties settings;
    private final Counter outages;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile Outage outage;
    private volatile long checkStartedNanos;
    private volatile long lastCheckNanos;
    private volatile boolean checkSoon;
    private volatile ScheduledExecutorService watcher;
    private volatile ExecutorService checker;

    public DatabaseHealth(DataSource dataSource, DatabaseProperties settings, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.lastCheckNanos = System.nanoTime();
        Gauge.builder(UP, this, h -> h.reachable() ? 1 : 0)
                .description("1 while the database answers the readiness check, 0 while it does not")
                .register(registry);
        Gauge.builder(UNREACHABLE, this, DatabaseHealth::unreachableSeconds)
                .description("How long the database has been unreachable (0 while it answers)")
                .baseUnit("seconds")
                .register(registry);
        this.outages = Counter.builder(OUTAGES)
                .description("Times the database became unreachable")
                .register(registry);
    }

    /** Whether the last check found the database answering (true before the first). */
    public boolean reachable() {
        return outage == null;
    }

    /** Seconds the current outage has lasted; 0 while the database answers. */
    public double unreachableSeconds() {
        Outage o = outage;
        return o == null ? 0 : (System.nanoTime() - o.sinceNanos()) / 1e9;
    }

    /**
     * A request has just failed on the database: check now rather than at the next interval, so that readiness and
     * background work learn of an outage within about a check timeout. Never waits.
     */
    public void suspect() {
        if (outage == null) {
            checkSoon = true;
        }
    }

    @Override
    public Health health() {
        Outage o = outage;
        if (o == null) {
            return Health.up().build();
        }
        return Health.down()
                .withDetail("reason", o.reason())
                .withDetail("unreachable_seconds", Math.round(unreachableSeconds()))
                .build();
    }

    private void tick() {
        long now = System.nanoTime();
        if (checking.get()) {
            long running = now - checkStartedNanos;
            if (running > settings.checkTimeout().toNanos()) {
                unreachable(
                        checkStartedNanos,
                        "no answer within " + settings.checkTimeout().toMillis() + " ms");
            }
            return;
        }
        if (checkSoon || now - lastCheckNanos >= settings.checkInterval().toNanos()) {
            checkSoon = false;
            if (checking.compareAndSet(false, true)) {
                checkStartedNanos = now;
                lastCheckNanos = now;
                try {
                    checker.execute(this::check);
                } catch (RuntimeException stopped) {
                    checking.set(false);
                }
            }
        }
    }

    private void check() {
        long started = checkStartedNanos;
        try (Connection c = dataSource.getConnection()) {
            int seconds = (int) Math.max(1, (settings.checkTimeout().toMillis() + 999) / 1000);
            if (c.isValid(seconds)) {
                reachableAgain();
            } else {
                unreachable(started, "the connection did not answer");
            }
        } catch (Exception | LinkageError e) {
            unreachable(started, describe(e));
        } finally {
            checking.set(false);
        }
    }

    private synchronized void unreachable(long sinceNanos, String reason) {
        Outage o = outage;
        if (o == null) {
            outage = new Outage(sinceNanos, reason);
            outages.increment();
            log.warn(
                    "Database unreachable: {}. The API answers 503 database_unavailable, notifications a failure "
                            + "(Alipay and WeChat Pay send them again), background work waits; readiness is DOWN "
                            + "until it answers",
                    reason);
        } else if (!o.reason().equals(reason)) {
            outage = new Outage(o.sinceNanos(), reason);
        }
    }

    private synchronized void reachableAgain() {
        Outage o = outage;
        if (o != null) {
            outage = null;
            Duration length = Duration.ofNanos(System.nanoTime() - o.sinceNanos());
            log.info(
                    "Database reachable again after {} ms unreachable (last reason: {})",
                    length.toMillis(),
                    o.reason());
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message = message + " (" + cause.getMessage() + ")";
        }
        int nl = message.indexOf('\n');
        message = nl < 0 ? message : message.substring(0, nl);
        return message.length() > 300 ? message.substring(0, 300) : message;
    }

    @Override
    public synchronized void start() {
        if (watcher != null) {
            return;
        }
        checker = Executors.newSingleThreadExecutor(daemon("db-health-check"));
        watcher = Executors.newSingleThreadScheduledExecutor(daemon("db-health"));
        watcher.scheduleWithFixedDelay(this::safeTick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.debug("Database check not started: {}", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (watcher != null) {
            watcher.shutdownNow();
            checker.shutdownNow();
            watcher = null;
        }
    }

    @Override
    public boolean isRunning() {
        return watcher != null;
    }

    /** Started before, stopped after the web server and the background work that ask it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
