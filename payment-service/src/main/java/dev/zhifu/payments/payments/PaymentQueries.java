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

    // ---- lists ----

    /** A row of a payment list: amounts as the API writes them, the method as on the wire. */
    public record Summary(
            String id,
            String outTradeNo,
            String tradeNo,
            String subject,
            String method,
            String status,
            String amount,
            String refundedAmount,
            Instant createdAt,
            Instant paidAt) {}

    /**
     * Filters of a payment list; null means any.
     *
     * @param outTradeNo a prefix of the merchant's order number (or Alipay's trade number), or the payment id
     */
    public record Filter(String status, String method, Instant from, Instant to, String outTradeNo) {
        public static final Filter ANY = new Filter(null, null, null, null, null);
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
        return jdbc.sql("SELECT id, out_trade_no, trade_no, subject, method, status, amount, refunded_amount, "
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

    /** Payments waiting for their buyer (PENDING): how many, and since when the oldest waits. */
    @Override
    public BacklogGauges.Backlog pendingPayments() {
        return jdbc.sql("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM payments WHERE status = 'PENDING'")
                .query((rs, n) -> new BacklogGauges.Backlog(rs.getLong("n"), instant(rs, "oldest")))
                .single();
    }
}
