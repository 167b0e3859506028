package dev.zhifu.payments.notifications;

import static dev.zhifu.payments.storage.Times.db;

import dev.zhifu.payments.storage.Ids;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

/**
 * Evidence of notifications refused before they proved to come from Alipay: where from, when, why, how big, the
 * body's SHA-256 and its first {@value #PREFIX} bytes, never the whole body. What an unauthenticated sender can
 * make us store is bounded three ways: rows older than {@code payments.notify.evidence-retention} are deleted,
 * at most {@code evidence-per-source} rows are kept per address, and at most {@code evidence-max} in all; what
 * is over a bound is counted ({@code payments.notifications.evidence.dropped}) instead of stored. The rows and
 * the bytes they hold are gauges ({@code payments.notifications.evidence.rows}, {@code .bytes}).
 */
@Repository
public class RefusedNotifications {

    private static final Logger log = LoggerFactory.getLogger(RefusedNotifications.class);
    static final int PREFIX = 256;
    /** What a row holds besides its prefix and reason: id, times, address, size, hash. */
    private static final int ROW_OVERHEAD = 40 + 8 + 64 + 4 + 64;

    public record Evidence(
            Instant receivedAt, String remoteAddr, String reason, int bodySize, String bodySha256, String bodyPrefix) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final NotifyProperties settings;
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final Counter dropped;

    public RefusedNotifications(JdbcClient jdbc, Clock clock, NotifyProperties settings, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
        this.dropped = Counter.builder("payments.notifications.evidence.dropped")
                .description("Refused, unauthenticated notifications not kept because a storage bound was reached")
                .register(meters);
        Gauge.builder("payments.notifications.evidence.rows", rows, AtomicLong::get)
                .description("Rows of evidence of refused, unauthenticated notifications")
                .register(meters);
        Gauge.builder("payments.notifications.evidence.bytes", bytes, AtomicLong::get)
                .baseUnit("bytes")
                .description("Storage held by evidence of refused, unauthenticated notifications")
                .register(meters);
        recount();
    }

    /** Keeps the evidence of one refused post, unless a bound says no; answers whether it was kept. */
    public boolean keep(String remoteAddr, byte[] body, String reason) {
        String source = cut(remoteAddr == null ? "?" : remoteAddr, 64);
        if (rows.get() >= settings.evidenceMax() || fromSource(source) >= settings.evidencePerSource()) {
            dropped.increment();
            return false;
        }
        // byte-exact whatever the body's charset: one character per byte
        String prefix = new String(body, 0, Math.min(PREFIX, body.length), StandardCharsets.ISO_8859_1);
        String why = cut(reason, 256);
        jdbc.sql("INSERT INTO refused_notifications (id, received_at, remote_addr, reason, body_size, body_sha256, "
                        + "body_prefix) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(Ids.next("rfn"), db(clock.instant()), source, why, body.length, sha256(body), prefix)
                .update();
        rows.incrementAndGet();
        bytes.addAndGet(ROW_OVERHEAD + prefix.length() + why.length());
        return true;
    }

    private int fromSource(String source) {
        return jdbc.sql("SELECT COUNT(*) FROM refused_notifications WHERE remote_addr = ?")
                .param(source)
                .query(Integer.class)
                .single();
    }

    /** Deletes evidence past its retention and counts what is left (other instances write to the same table). */
    @Scheduled(fixedDelayString = "${payments.notify.evidence-sweep-interval:10m}", initialDelayString = "1m")
    public void sweep() {
        try {
            int deleted = jdbc.sql("DELETE FROM refused_notifications WHERE received_at < ?")
                    .param(db(clock.instant().minus(settings.evidenceRetention())))
                    .update();
            if (deleted > 0) {
                log.info(
                        "Deleted {} rows of refused-notification evidence older than {}",
                        deleted,
                        settings.evidenceRetention());
            }
            recount();
        } catch (RuntimeException e) {
            log.warn("Sweeping refused-notification evidence failed (next try in the next round): {}", e.getMessage());
        }
    }

    private void recount() {
        jdbc.sql("SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(body_prefix) + LENGTH(reason)), 0) AS chars "
                        + "FROM refused_notifications")
                .query((rs, i) -> {
                    rows.set(rs.getLong("n"));
                    bytes.set(rs.getLong("n") * ROW_OVERHEAD + rs.getLong("chars"));
                    return null;
                })
                .list();
    }

    /** The newest evidence first (operators, tests). */
    public java.util.List<Evidence> latest(int limit) {
        return jdbc.sql("SELECT * FROM refused_notifications ORDER BY received_at DESC, id DESC")
                .withMaxRows(limit)
                .query((rs, i) -> new Evidence(
                        dev.zhifu.payments.storage.Times.instant(rs, "received_at"),
                        rs.getString("remote_addr"),
                        rs.getString("reason"),
                        rs.getInt("body_size"),
                        rs.getString("body_sha256"),
                        rs.getString("body_prefix")))
                .list();
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
