package dev.zhifu.payments.storage;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps an H2 file database about as large as its data. With {@code WRITE_DELAY 0} ({@link H2Durability}) every
 * commit appends a new chunk to the file, and H2's own background writer, which would compact them, does not
 * run at that setting; its 45 s retention also keeps every replaced chunk for 45 s. Measured with H2 2.4.240 on
 * a payment-shaped workload: 88 KB of file per payment, and the soak showed 45 KB and falling throughput.
 * <p>
 * So here: {@code RETENTION_TIME 1000} (a replaced chunk's space is reused after one second rather than 45) and,
 * every second, a compaction that rewrites the live pages of chunks less than 80 % full so that their space is
 * freed. Not 0: with no retention H2 2.4.240 reuses a chunk that a concurrent statement still reads (seen here in
 * a soak: "Chunk 832 not found" failing a create), a known H2 hazard; the H2 maintainers' default keeps 45 s.
 * <p>
 * What the retention time also guards against is an operating system that writes its buffers out of order when
 * the machine loses power; a process crash (SIGKILL, an out-of-memory kill) leaves the written file intact and
 * loses no acknowledged commit (CrashOnH2Test). H2 does not fsync a commit in any setting: on power loss the last
 * commits can be lost, and with a short retention the file can be damaged. That is what PostgreSQL and
 * MySQL/MariaDB are for.
 * <p>
 * The compaction runs on a thread of its own that is never interrupted: an interrupt during a file operation
 * closes H2's file channel under the database.
 */
@Component
public class H2Compaction implements SmartLifecycle {

    public static final String FILE_SIZE = "payments.h2.file.size";
    public static final String FILL_RATE = "payments.h2.fill.rate";
    public static final String FILE_READ = "payments.h2.file.read";
    public static final String CACHE_USED = "payments.h2.cache.used";
    public static final String CACHE_SIZE = "payments.h2.cache.size";

    private static final Logger log = LoggerFactory.getLogger(H2Compaction.class);
    private static final Duration EVERY = Duration.ofSeconds(1);
    private static final Duration RETENTION = Duration.ofSeconds(1);
    /** Chunks less full than this are rewritten. */
    private static final int TARGET_FILL_RATE = 80;
    /** At most this many bytes rewritten per round, so that a round never holds the store for long. */
    private static final int WRITE_PER_ROUND = 16 << 20;

    private final DataSource dataSource;
    private final MeterRegistry registry;
    private volatile boolean running;
    private volatile MVStore store;
    private Thread thread;

    public H2Compaction(DataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.registry = registry;
    }

    /** Whether the data source is an H2 database in a file (nothing to do for others, or in memory). */
    static boolean appliesTo(DataSource dataSource) {
        if (!(dataSource instanceof HikariDataSource pool)) {
            return false;
        }
        String url = pool.getJdbcUrl();
        return url != null && url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
    }

    @Override
    public void start() {
        if (!appliesTo(dataSource)) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SET RETENTION_TIME " + RETENTION.toMillis());
        } catch (SQLException e) {
            log.warn("H2: RETENTION_TIME not set ({}); the file grows faster", e.getMessage());
        }
        Gauge.builder(
                        FILE_SIZE,
                        this,
                        h -> h.read(m -> (double) m.getFileStore().size()))
                .baseUnit("bytes")
                .description("Size of the H2 database file")
                .register(registry);
        Gauge.builder(FILL_RATE, this, h -> h.read(m -> m.getFileStore().getFillRate() / 100.0))
                .description("Share of the H2 file holding live data")
                .register(registry);
        // pages read from the file rather than found in H2's page cache: what grows when the working set outgrows it
        FunctionCounter.builder(
                        FILE_READ, this, h -> h.read(m -> m.getFileStore().getReadBytes()))
                .baseUnit("bytes")
                .description("Bytes H2 read from its file (pages not in its cache)")
                .register(registry);
        Gauge.builder(CACHE_USED, this, h -> h.read(m -> (double) m.getCacheSizeUsed() * (1 << 20)))
                .baseUnit("bytes")
                .description("Memory of H2's page cache in use")
                .register(registry);
        Gauge.builder(CACHE_SIZE, this, h -> h.read(m -> (double) m.getCacheSize() * (1 << 20)))
                .baseUnit("bytes")
                .description("Size H2's page cache may grow to")
                .register(registry);
        running = true;
        thread = new Thread(this::loop, "h2-compaction");
        thread.setDaemon(true);
        thread.start();
        log.info(
                "H2: replaced chunks are reused after {} s and compacted every {} s",
                RETENTION.toSeconds(),
                EVERY.toSeconds());
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(EVERY.toMillis());
            } catch (InterruptedException e) {
                // never interrupted by us; if someone does, keep going until stop() says otherwise
            }
            if (!running) {
                break;
            }
            try {
                MVStore m = store();
                if (m != null) {
                    m.getFileStore().compact(TARGET_FILL_RATE, WRITE_PER_ROUND);
                }
            } catch (RuntimeException e) {
                store = null; // closed and opened again, or closing: found again next round
                log.debug("H2 compaction skipped: {}", e.toString());
            }
        }
    }

    private double read(java.util.function.ToDoubleFunction<MVStore> what) {
        try {
            MVStore m = store();
            return m == null ? Double.NaN : what.applyAsDouble(m);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The MVStore of the open database, reached through a pooled connection's embedded session. */
    private MVStore store() {
        MVStore m = store;
        if (m != null && !m.isClosed()) {
            return m;
        }
        try (Connection c = dataSource.getConnection()) {
            if (c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session) {
                m = session.getDatabase().getStore().getMvStore();
                store = m;
                return m;
            }
            return null; // a server connection (jdbc:h2:tcp:): its process compacts, not this one
        } catch (SQLException e) {
            return null;
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the background jobs and before the data source closes. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }
}
