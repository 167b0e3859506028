package dev.zhifu.payments.events;

import static dev.zhifu.payments.storage.Times.instant;

import dev.zhifu.payments.operations.BacklogGauges;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the other features read of webhook events and their delivery (the admin console, the backlog gauges), in
 * plain SQL that runs on H2, PostgreSQL and MySQL/MariaDB alike. Nothing here writes: the {@link EventOutbox}
 * appends and delivers.
 */
@Component
public class EventQueries implements BacklogGauges.UndeliveredEvents {

    /** Delivery given up ({@code DEAD}), or still retrying after an error. */
    private static final String FAILING =
            "(delivery_status = 'DEAD' OR (delivery_status = 'PENDING' AND last_error IS NOT NULL))";

    private static final String COLUMNS =
            "id, payment_id, type, created_at, delivery_status, attempts, next_attempt_at, "
                    + "last_attempt_at, last_error, delivered_at";

    private final JdbcClient jdbc;

    public EventQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A webhook event and its delivery. */
    public record Delivery(
            String id,
            String paymentId,
            String type,
            Instant createdAt,
            String deliveryStatus,
            int attempts,
            Instant nextAttemptAt,
            Instant lastAttemptAt,
            String lastError,
            Instant deliveredAt) {
        public boolean failing() {
            return "DEAD".equals(deliveryStatus) || ("PENDING".equals(deliveryStatus) && lastError != null);
        }

        /**
         * The delivery as the console shows it: {@code NOT_SENT} for an event waiting only because there is no
         * {@code payments.webhook-url} (it is kept, and posted once one is set), else {@code deliveryStatus}.
         */
        public String deliveryState(boolean webhookConfigured) {
            return !webhookConfigured && "PENDING".equals(deliveryStatus) && attempts == 0
                    ? "NOT_SENT"
                    : deliveryStatus;
        }
    }

    /**
     * @param deliveryStatus {@code PENDING}, {@code DELIVERED}, {@code DEAD}, {@code FAILING} (dead or retrying),
     *                       or null for any
     * @param paymentId      the payment's events only, or null for every payment's
     */
    public long count(String deliveryStatus, String paymentId) {
        Map<String, Object> params = new LinkedHashMap<>();
        return jdbc.sql("SELECT COUNT(*) FROM payment_events" + where(deliveryStatus, paymentId, params))
                .params(params)
                .query(Long.class)
                .single();
    }

    /** Newest first, {@code limit} of them after skipping {@code offset}; filters as for {@link #count}. */
    public List<Delivery> list(String deliveryStatus, String paymentId, int limit, long offset) {
        Map<String, Object> params = new LinkedHashMap<>();
        return jdbc.sql("SELECT " + COLUMNS + " FROM payment_events" + where(deliveryStatus, paymentId, params)
                        + " ORDER BY created_at DESC, payment_version DESC LIMIT " + limit + " OFFSET " + offset)
                .params(params)
                .query(EventQueries::delivery)
                .list();
    }

    /** The payment's events, oldest first. */
    public List<Delivery> ofPayment(String paymentId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payment_events WHERE payment_id = ? "
                        + "ORDER BY created_at, payment_version")
                .param(paymentId)
                .query(EventQueries::delivery)
                .list();
    }

    /** Events whose delivery failed: given up, or retrying after an error. */
    public long failing() {
        return jdbc.sql("SELECT COUNT(*) FROM payment_events WHERE " + FAILING)
                .query(Long.class)
                .single();
    }

    /**
     * The undelivered backlog's query; public so that a test can ask the database for its plan. It reads only
     * ix_payment_events_delivery_age (delivery_status, next_attempt_at, created_at), never the rows.
     */
    public static final String UNDELIVERED_BACKLOG =
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM payment_events WHERE delivery_status = 'PENDING'";

    /** Events not delivered yet ({@code PENDING}): how many, and since when the oldest waits. */
    @Override
    public BacklogGauges.Backlog undeliveredEvents() {
        return jdbc.sql(UNDELIVERED_BACKLOG)
                .query((rs, n) -> new BacklogGauges.Backlog(rs.getLong("n"), instant(rs, "oldest")))
                .single();
    }

    private static String where(String deliveryStatus, String paymentId, Map<String, Object> params) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if ("FAILING".equals(deliveryStatus)) {
            where.append(" AND ").append(FAILING);
        } else if (deliveryStatus != null) {
            where.append(" AND delivery_status = :status");
            params.put("status", deliveryStatus);
        }
        if (paymentId != null) {
            where.append(" AND payment_id = :paymentId");
            params.put("paymentId", paymentId);
        }
        return where.toString();
    }

    private static Delivery delivery(ResultSet rs, int n) throws SQLException {
        return new Delivery(
                rs.getString("id"),
                rs.getString("payment_id"),
                rs.getString("type"),
                instant(rs, "created_at"),
                rs.getString("delivery_status"),
                rs.getInt("attempts"),
                instant(rs, "next_attempt_at"),
                instant(rs, "last_attempt_at"),
                rs.getString("last_error"),
                instant(rs, "delivered_at"));
    }
}
