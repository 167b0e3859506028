package dev.zhifu.payments.payments;

import static dev.zhifu.payments.storage.Times.db;
import static dev.zhifu.payments.storage.Times.instant;

import dev.zhifu.payments.operations.BacklogGauges;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the other features read of payments (notifications, refunds, reconciliation, the admin console, the
 * backlog gauges): a payment and its anomalies, lists and figures, never a way to change them. Changes go
 * through {@link PaymentLedger} and {@link PaymentService}; the tables stay in this package. Lists and figures
 * are plain SQL that runs on H2, PostgreSQL and MySQL/MariaDB alike.
 */
@Component
public class PaymentQueries implements BacklogGauges.PendingPayments {

    private final PaymentRepository payments;
    private final AnomalyRepository anomalies;
    private final JdbcClient jdbc;

    public PaymentQueries(PaymentRepository payments, AnomalyRepository anomalies, JdbcClient jdbc) {
        this.payments = payments;
        this.anomalies = anomalies;
        this.jdbc = jdbc;
    }

    public Optional<Payment> find(String id) {
        return payments.find(id);
    }

    public Optional<Payment> findByOutTradeNo(String outTradeNo) {
        return payments.findByOutTradeNo(outTradeNo);
    }

    /** One read for a notification: the payment it is about, and the trace its span links to. */
    public Optional<TracedPayment> findTracedByOutTradeNo(String outTradeNo) {
        return payments.findTracedByOutTradeNo(outTradeNo);
    }

    public List<Anomaly> anomalies(String paymentId) {
        return anomalies.forPayment(paymentId);
    }

    /** Anomalies nobody has resolved yet, of every payment. */
    public long openAnomalies() {
        return anomalies.countOpen();
    }

    /**
     * The channel of each of these payments that has one ({@link Channel#wire()}); a payment without one (an
     * {@code any_qr} payment no wallet has paid) or unknown is absent.
     */
    public Map<String, String> channelsOf(java.util.Collection<String> ids) {
        Map<String, String> channels = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return channels;
        }
        jdbc.sql("SELECT id, channel FROM payments WHERE channel IS NOT NULL AND id IN (:ids)")
                .param("ids", List.copyOf(new java.util.LinkedHashSet<>(ids)))
                .query((ResultSet rs) -> {
                    channels.put(rs.getString("id"), wireOf(rs.getString("channel")));
                });
        return channels;
    }

    // ---- lists ----

    /** A row of a payment list: amounts as the API writes them, the method as on the wire. */
    public record Summary(
            String id,
            String outTradeNo,
            String tradeNo,
            String subject,
            String method,
            /** {@code alipay}, {@code wechatpay}, or null while an {@code any_qr} payment waits for a wallet */
            String channel,
            String status,
            String amount,
            String refundedAmount,
            Instant createdAt,
            Instant paidAt) {}

    /**
     * Filters of a payment list; null means any.
     *
     * @param outTradeNo a prefix of the merchant's order number (or the wallet's trade number), or the payment id
     * @param channel    {@link Channel#wire()}, or {@link #NO_CHANNEL} for {@code any_qr} payments no wallet has
     *                   paid yet
     */
    public record Filter(String status, String method, Instant from, Instant to, String outTradeNo, String channel) {
        public static final Filter ANY = new Filter(null, null, null, null, null, null);
        public static final String NO_CHANNEL = "none";

        public Filter(String status, String method, Instant from, Instant to, String outTradeNo) {
            this(status, method, from, to, outTradeNo, null);
        }
    }

    public long count(Filter filter) {
        Map<String, Object> params = new LinkedHashMap<>();
        return jdbc.sql("SELECT COUNT(*) FROM payments" + where(filter, params))
                .params(params)
                .query(Long.class)
                .single();
    }

    /** Newest first, {@code limit} of them after skipping {@code offset}. */
    public List<Summary> list(Filter filter, int limit, long offset) {
        Map<String, Object> params = new LinkedHashMap<>();
        return jdbc.sql("SELECT id, out_trade_no, trade_no, subject, method, channel, status, amount, refunded_amount, "
                        + "created_at, paid_at FROM payments" + where(filter, params)
                        + " ORDER BY created_at DESC, id DESC LIMIT " + limit + " OFFSET " + offset)
                .params(params)
                .query(PaymentQueries::summary)
                .list();
    }

    private static String where(Filter filter, Map<String, Object> params) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (filter.status() != null) {
            where.append(" AND status = :status");
            params.put("status", filter.status());
        }
        if (filter.method() != null) {
            where.append(" AND method = :method");
            params.put("method", filter.method());
        }
        if (Filter.NO_CHANNEL.equals(filter.channel())) {
            where.append(" AND channel IS NULL");
        } else if (filter.channel() != null) {
            where.append(" AND channel = :channel");
            params.put("channel", filter.channel().toUpperCase(Locale.ROOT));
        }
        if (filter.from() != null) {
            where.append(" AND created_at >= :from");
            params.put("from", db(filter.from()));
        }
        if (filter.to() != null) {
            where.append(" AND created_at < :to");
            params.put("to", db(filter.to()));
        }
        if (filter.outTradeNo() != null) {
            where.append(
                    " AND (out_trade_no LIKE :prefix ESCAPE '!' OR trade_no LIKE :prefix ESCAPE '!' OR id = :exact)");
            params.put("prefix", likePrefix(filter.outTradeNo()));
            params.put("exact", filter.outTradeNo());
        }
        return where.toString();
    }

    /** {@code LIKE} pattern matching values that start with {@code text}, wildcards in it taken literally. */
    static String likePrefix(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '!' || c == '%' || c == '_') {
                out.append('!');
            }
            out.append(c);
        }
        return out.append('%').toString();
    }

    private static Summary summary(ResultSet rs, int n) throws SQLException {
        return new Summary(
                rs.getString("id"),
                rs.getString("out_trade_no"),
                rs.getString("trade_no"),
                rs.getString("subject"),
                rs.getString("method").toLowerCase(Locale.ROOT),
                rs.getString("channel") == null ? null : rs.getString("channel").toLowerCase(Locale.ROOT),
                rs.getString("status"),
                Money.format(rs.getBigDecimal("amount")),
                Money.format(rs.getBigDecimal("refunded_amount")),
                instant(rs, "created_at"),
                instant(rs, "paid_at"));
    }

    // ---- figures ----

    /** Payments created in a period: how many, and how many of them are paid (or refunded) and closed. */
    public record Created(long count, long paid, long closed) {}

    /** Payments created in {@code [from, to)}. */
    public Created created(Instant from, Instant to) {
        return jdbc.sql("SELECT COUNT(*) AS created, "
                        + "SUM(CASE WHEN status IN ('PAID', 'REFUNDED') THEN 1 ELSE 0 END) AS paid, "
                        + "SUM(CASE WHEN status = 'CLOSED' THEN 1 ELSE 0 END) AS closed "
                        + "FROM payments WHERE created_at >= ? AND created_at < ?")
                .params(db(from), db(to))
                .query((rs, n) -> new Created(rs.getLong("created"), rs.getLong("paid"), rs.getLong("closed")))
                .single();
    }

    /** Payments paid in a period (refunded since or not): how many, and their amounts added up. */
    public record Paid(long count, BigDecimal volume) {}

    /** Payments paid at {@code since} or later. */
    public Paid paidSince(Instant since) {
        BigDecimal volume = jdbc.sql(
                        "SELECT SUM(amount) FROM payments WHERE status IN ('PAID', 'REFUNDED') AND paid_at >= ?")
                .param(db(since))
                .query(BigDecimal.class)
                .optional()
                .orElse(null);
        long count = jdbc.sql("SELECT COUNT(*) FROM payments WHERE status IN ('PAID', 'REFUNDED') AND paid_at >= ?")
                .param(db(since))
                .query(Long.class)
                .single();
        return new Paid(count, volume == null ? BigDecimal.ZERO : volume);
    }

    /**
     * One channel's share of a period: payments created in it, and payments paid in it (refunded since or not) with
     * their amounts added up.
     *
     * @param channel {@link Channel#wire()}, or null for {@code any_qr} payments no wallet has paid yet
     */
    public record ChannelShare(String channel, long created, long paid, BigDecimal volume) {}

    /**
     * {@link #created} and {@link #paidSince} split by channel: a row for each channel, then one for the payments
     * without a channel when there are any.
     */
    public List<ChannelShare> byChannel(Instant from, Instant to) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, BigDecimal> volumes = new LinkedHashMap<>();
        for (Channel c : Channel.values()) {
            counts.put(c.wire(), new long[2]);
            volumes.put(c.wire(), BigDecimal.ZERO);
        }
        jdbc.sql(
                        "SELECT channel, COUNT(*) AS n FROM payments WHERE created_at >= ? AND created_at < ? GROUP BY channel")
                .params(db(from), db(to))
                .query((ResultSet rs) -> {
                    counts.computeIfAbsent(wireOf(rs.getString("channel")), k -> new long[2])[0] = rs.getLong("n");
                });
        jdbc.sql("SELECT channel, COUNT(*) AS n, SUM(amount) AS volume FROM payments "
                        + "WHERE status IN ('PAID', 'REFUNDED') AND paid_at >= ? GROUP BY channel")
                .param(db(from))
                .query((ResultSet rs) -> {
                    String channel = wireOf(rs.getString("channel"));
                    counts.computeIfAbsent(channel, k -> new long[2])[1] = rs.getLong("n");
                    BigDecimal volume = rs.getBigDecimal("volume");
                    volumes.put(channel, volume == null ? BigDecimal.ZERO : volume);
                });
        return counts.entrySet().stream()
                .map(e -> new ChannelShare(
                        e.getKey(),
                        e.getValue()[0],
                        e.getValue()[1],
                        volumes.getOrDefault(e.getKey(), BigDecimal.ZERO)))
                .toList();
    }

    private static String wireOf(String stored) {
        return stored == null ? null : stored.toLowerCase(Locale.ROOT);
    }

    /**
     * The pending backlog's query; public so that a test can ask the database for its plan. It reads only
     * ix_payments_pending_age (status, next_sync_at, created_at), never the rows: its cost grows with the backlog.
     */
    public static final String PENDING_BACKLOG =
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM payments WHERE status = 'PENDING'";

    /** Payments waiting for their buyer (PENDING): how many, and since when the oldest waits. */
    @Override
    public BacklogGauges.Backlog pendingPayments() {
        return jdbc.sql(PENDING_BACKLOG)
                .query((rs, n) -> new BacklogGauges.Backlog(rs.getLong("n"), instant(rs, "oldest")))
                .single();
    }
}
