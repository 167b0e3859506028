package dev.zhifu.payments.admin;

import static dev.zhifu.payments.storage.Times.db;
import static dev.zhifu.payments.storage.Times.instant;

import dev.zhifu.payments.payments.Money;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The console's read model: lists, counts and today's figures, read straight from the tables in plain SQL
 * that runs on H2, PostgreSQL and MySQL/MariaDB alike. Nothing here writes.
 */
@Repository
public class AdminQueries {

    private final JdbcClient jdbc;

    public AdminQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A row of the payment list. */
    public record PaymentRow(String id, String outTradeNo, String tradeNo, String subject, String method, String status,
                             String amount, String refundedAmount, Instant createdAt, Instant paidAt) {
    }

    /**
     * Filters of the payment list; null or blank means any.
     *
     * @param outTradeNo a prefix of the merchant's order number (or Alipay's trade number, or the payment id)
     */
    public record PaymentFilter(String status, String method, Instant from, Instant to, String outTradeNo) {
    }

    public record Page<T>(List<T> rows, long total, int page, int size) {
        public int pages() {
            return (int) Math.max(1, (total + size - 1) / size);
        }

        public boolean hasPrevious() {
            return page > 1;
        }

        public boolean hasNext() {
            return page < pages();
        }
    }

    public Page<PaymentRow> payments(PaymentFilter filter, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
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
            where.append(" AND (out_trade_no LIKE :prefix ESCAPE '!' OR trade_no LIKE :prefix ESCAPE '!' OR id = :exact)");
            params.put("prefix", likePrefix(filter.outTradeNo()));
            params.put("exact", filter.outTradeNo());
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM payments" + where).params(params).query(Long.class).single();
        int last = (int) Math.max(1, (total + size - 1) / size);
        int current = Math.min(Math.max(1, page), last);
        List<PaymentRow> rows = jdbc.sql("SELECT id, out_trade_no, trade_no, subject, method, status, amount, refunded_amount, "
                        + "created_at, paid_at FROM payments" + where + " ORDER BY created_at DESC, id DESC LIMIT " + size
                        + " OFFSET " + (long) (current - 1) * size)
                .params(params).query(AdminQueries::paymentRow).list();
        return new Page<>(rows, total, current, size);
    }

    public List<PaymentRow> recentPayments(int limit) {
        return jdbc.sql("SELECT id, out_trade_no, trade_no, subject, method, status, amount, refunded_amount, created_at, "
                + "paid_at FROM payments ORDER BY created_at DESC, id DESC LIMIT " + limit).query(AdminQueries::paymentRow).list();
    }

    /** A row of the event list: a webhook event and its delivery. */
    public record EventRow(String id, String paymentId, String type, Instant createdAt, String deliveryStatus, int attempts,
                           Instant nextAttemptAt, Instant lastAttemptAt, String lastError, Instant deliveredAt) {
        public boolean failing() {
            return "DEAD".equals(deliveryStatus) || ("PENDING".equals(deliveryStatus) && lastError != null);
        }

        /**
         * The delivery as the console shows it: {@code NOT_SENT} for an event waiting only because there is no
         * {@code payments.webhook-url} (it is kept, and posted once one is set), else {@code deliveryStatus}.
         */
        public String deliveryState(boolean webhookConfigured) {
            return !webhookConfigured && "PENDING".equals(deliveryStatus) && attempts == 0 ? "NOT_SENT"
                    : deliveryStatus;
        }
    }

    /** @param deliveryStatus {@code PENDING}, {@code DELIVERED}, {@code DEAD}, {@code FAILING} (dead or retrying), or null */
    public Page<EventRow> events(String deliveryStatus, String paymentId, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if ("FAILING".equals(deliveryStatus)) {
            where.append(" AND (delivery_status = 'DEAD' OR (delivery_status = 'PENDING' AND last_error IS NOT NULL))");
        } else if (deliveryStatus != null) {
            where.append(" AND delivery_status = :status");
            params.put("status", deliveryStatus);
        }
        if (paymentId != null) {
            where.append(" AND payment_id = :paymentId");
            params.put("paymentId", paymentId);
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM payment_events" + where).params(params).query(Long.class).single();
        int last = (int) Math.max(1, (total + size - 1) / size);
        int current = Math.min(Math.max(1, page), last);
        List<EventRow> rows = jdbc.sql("SELECT id, payment_id, type, created_at, delivery_status, attempts, next_attempt_at, "
                        + "last_attempt_at, last_error, delivered_at FROM payment_events" + where
                        + " ORDER BY created_at DESC, payment_version DESC LIMIT " + size + " OFFSET " + (long) (current - 1) * size)
                .params(params).query(AdminQueries::eventRow).list();
        return new Page<>(rows, total, current, size);
    }

    public List<EventRow> eventsOf(String paymentId) {
        return jdbc.sql("SELECT id, payment_id, type, created_at, delivery_status, attempts, next_attempt_at, last_attempt_at, "
                        + "last_error, delivered_at FROM payment_events WHERE payment_id = ? ORDER BY created_at, payment_version")
                .param(paymentId).query(AdminQueries::eventRow).list();
    }

    /**
     * Today at a glance. {@code successRate} counts today's payments that are settled (paid or closed), so
     * payments still waiting for their buyer do not lower it.
     */
    public record Dashboard(String volume, long paidCount, long createdCount, long settledCount, Integer successRatePercent,
                            String refundedToday, long pendingCount, Instant oldestPendingSince, long failedWebhooks,
                            long openAnomalies) {
    }

    public Dashboard dashboard(Instant startOfDay, Instant now) {
        var day = jdbc.sql("SELECT COUNT(*) AS created, "
                        + "SUM(CASE WHEN status IN ('PAID', 'REFUNDED') THEN 1 ELSE 0 END) AS paid, "
                        + "SUM(CASE WHEN status = 'CLOSED' THEN 1 ELSE 0 END) AS closed "
                        + "FROM payments WHERE created_at >= ? AND created_at < ?")
                .params(db(startOfDay), db(now.plusSeconds(1)))
                .query((rs, n) -> new long[] {rs.getLong("created"), rs.getLong("paid"), rs.getLong("closed")}).single();
        BigDecimal volume = jdbc.sql("SELECT SUM(amount) FROM payments WHERE status IN ('PAID', 'REFUNDED') AND paid_at >= ?")
                .param(db(startOfDay)).query(BigDecimal.class).optional().orElse(null);
        long paidToday = jdbc.sql("SELECT COUNT(*) FROM payments WHERE status IN ('PAID', 'REFUNDED') AND paid_at >= ?")
                .param(db(startOfDay)).query(Long.class).single();
        BigDecimal refunded = jdbc.sql("SELECT SUM(amount) FROM refunds WHERE status = 'SUCCEEDED' AND succeeded_at >= ?")
                .param(db(startOfDay)).query(BigDecimal.class).optional().orElse(null);
        var pending = jdbc.sql("SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM payments WHERE status = 'PENDING'")
                .query((rs, n) -> new Object[] {rs.getLong("n"), instant(rs, "oldest")}).single();
        long failed = jdbc.sql("SELECT COUNT(*) FROM payment_events WHERE delivery_status = 'DEAD' "
                + "OR (delivery_status = 'PENDING' AND last_error IS NOT NULL)").query(Long.class).single();
        long anomalies = jdbc.sql("SELECT COUNT(*) FROM payment_anomalies WHERE resolved_at IS NULL").query(Long.class).single();
        long settled = day[1] + day[2];
        Integer rate = settled == 0 ? null : (int) Math.round(100.0 * day[1] / settled);
        return new Dashboard(Money.format(volume == null ? BigDecimal.ZERO : volume), paidToday, day[0], settled, rate,
                Money.format(refunded == null ? BigDecimal.ZERO : refunded), (Long) pending[0], (Instant) pending[1],
                failed, anomalies);
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

    private static PaymentRow paymentRow(ResultSet rs, int n) throws SQLException {
        return new PaymentRow(rs.getString("id"), rs.getString("out_trade_no"), rs.getString("trade_no"),
                rs.getString("subject"), rs.getString("method").toLowerCase(java.util.Locale.ROOT), rs.getString("status"),
                Money.format(rs.getBigDecimal("amount")), Money.format(rs.getBigDecimal("refunded_amount")),
                instant(rs, "created_at"), instant(rs, "paid_at"));
    }

    private static EventRow eventRow(ResultSet rs, int n) throws SQLException {
        return new EventRow(rs.getString("id"), rs.getString("payment_id"), rs.getString("type"), instant(rs, "created_at"),
                rs.getString("delivery_status"), rs.getInt("attempts"), instant(rs, "next_attempt_at"),
                instant(rs, "last_attempt_at"), rs.getString("last_error"), instant(rs, "delivered_at"));
    }

    static List<String> statuses() {
        return new ArrayList<>(List.of("PENDING", "PAID", "REFUNDED", "CLOSED"));
    }
}
