package dev.zhifu.payments.events;

import static dev.zhifu.payments.storage.Times.db;
import static dev.zhifu.payments.storage.Times.instant;

import dev.zhifu.payments.storage.ClaimLocks;
import dev.zhifu.payments.storage.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transactional outbox: an event is written in the same transaction as the change it announces, with
 * its delivery state beside it, so a committed change always has its event and a rolled-back one never does.
 * A dispatcher (taking rows with leases) posts them to {@code payments.webhook-url}.
 */
@Repository
public class EventOutbox {

    /** Delivery states. */
    public static final String PENDING = "PENDING";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final ClaimLocks locks;

    public EventOutbox(JdbcClient jdbc, JsonMapper json, Clock clock, ClaimLocks locks) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.locks = locks;
    }

    /**
     * Must run inside the transaction of the change, which holds the payment's row lock: a status change's
     * UPDATE of the row, or {@code PaymentLedger.lock}. That lock orders the payment's events: the next number is
     * taken by one transaction at a time. (The payments table is the payments feature's to lock.)
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public String append(String paymentId, int paymentVersion, EventType type, Object data) {
        String id = Ids.next("evt");
        Instant now = clock.instant();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", id);
        payload.put("type", type.wire());
        payload.put("created_at", now.toString());
        payload.put("data", data);
        // the next number in the same statement as the insert: one round trip less on every status change
        jdbc.sql("INSERT INTO payment_events (id, payment_id, payment_version, payment_seq, type, payload, created_at, "
                        + "delivery_status, attempts, next_attempt_at, delivery_since) "
                        + "SELECT ?, ?, ?, COALESCE(MAX(payment_seq), 0) + 1, ?, ?, ?, ?, 0, ?, ? "
                        + "FROM payment_events WHERE payment_id = ?")
                .params(
                        id,
                        paymentId,
                        paymentVersion,
                        type.wire(),
                        json.writeValueAsString(payload),
                        db(now),
                        PENDING,
                        db(now),
                        db(now),
                        paymentId)
                .update();
        return id;
    }

    public List<StoredEvent> list(String paymentId, int limit) {
        String where = paymentId == null ? "" : " WHERE payment_id = :paymentId";
        var sql = jdbc.sql("SELECT * FROM payment_events" + where + " ORDER BY created_at DESC, payment_seq DESC LIMIT "
                + Math.max(1, limit));
        if (paymentId != null) {
            sql = sql.param("paymentId", paymentId);
        }
        return sql.query(this::map).list();
    }

    public Optional<StoredEvent> find(String id) {
        return jdbc.sql("SELECT * FROM payment_events WHERE id = ?")
                .param(id)
                .query(this::map)
                .optional();
    }

    /**
     * Puts an event back in the queue (also a delivered or dead one) for a new round of delivery with its own
     * three days of retries; the dispatcher picks it up. A lease in progress is left to finish.
     */
    public void redeliver(String id) {
        Instant now = clock.instant();
        jdbc.sql("UPDATE payment_events SET delivery_status = ?, next_attempt_at = ?, delivery_since = ? WHERE id = ?")
                .params(PENDING, db(now), db(now), id)
                .update();
    }

    /** An event taken for delivery: its exact payload (what is signed and posted). */
    public record Claimed(String id, String paymentId, String payload, int attempts, Instant deliverySince) {}

    /**
     * Takes up to {@code limit} due events with a lease, skipping rows another instance holds
     * ({@code FOR UPDATE SKIP LOCKED}; a plain SELECT on H2: {@link ClaimLocks}) and events whose payment has an
     * earlier one still undelivered, so a payment's events are posted in order. Must run inside a transaction.
     */
    @Transactional
    public java.util.List<Claimed> claimDue(String owner, Instant now, java.time.Duration lease, int limit) {
        List<Claimed> due = jdbc.sql(claimSql(limit))
                .param("now", db(now))
                .query((rs, n) -> new Claimed(
                        rs.getString("id"),
                        rs.getString("payment_id"),
                        rs.getString("payload"),
                        rs.getInt("attempts"),
                        instant(rs, "delivery_since")))
                .list();
        List<Claimed> taken = new java.util.ArrayList<>(due.size());
        for (Claimed c : due) {
            // conditional, so a database that does not skip locked rows still hands each event to one instance
            if (jdbc.sql("UPDATE payment_events SET lease_owner = ?, lease_until = ? WHERE id = ? "
                                    + "AND (lease_until IS NULL OR lease_until < ?)")
                            .params(owner, db(now.plus(lease)), c.id(), db(now))
                            .update()
                    == 1) {
                taken.add(c);
            }
        }
        return taken;
    }

    /**
     * The claim's SELECT (named parameter {@code :now}); public so that a test can ask the database for its plan.
     * Due events in the order of ix_payment_events_delivery_age (delivery_status, next_attempt_at, …), the longest
     * overdue first: ordered by anything else, H2 sorted every due event to hand out a batch, a cost that grew
     * with an undelivered backlog. A payment's own events still go in order: the NOT EXISTS holds back any whose
     * predecessor is undelivered.
     */
    public String claimSql(int limit) {
        return "SELECT id, payment_id, payload, attempts, delivery_since FROM payment_events e "
                + "WHERE delivery_status = 'PENDING' AND next_attempt_at <= :now "
                + "AND (lease_until IS NULL OR lease_until < :now) "
                + "AND NOT EXISTS (SELECT 1 FROM payment_events p WHERE p.payment_id = e.payment_id "
                + "AND p.delivery_status = 'PENDING' AND p.payment_seq < e.payment_seq) "
                + "ORDER BY delivery_status, next_attempt_at LIMIT " + Math.max(1, limit) + locks.skipLocked();
    }

    public void markDelivered(String id, String owner, Instant now) {
        jdbc.sql(
                        "UPDATE payment_events SET delivery_status = 'DELIVERED', attempts = attempts + 1, last_attempt_at = ?, "
                                + "delivered_at = ?, last_error = NULL, lease_owner = NULL, lease_until = NULL "
                                + "WHERE id = ? AND lease_owner = ?")
                .params(db(now), db(now), id, owner)
                .update();
    }

    /** A failed attempt: try again at {@code nextAttempt}, or give up ({@code DEAD}) when it is null. */
    public void markFailed(String id, String owner, Instant now, String error, Instant nextAttempt) {
        jdbc.sql("UPDATE payment_events SET delivery_status = ?, attempts = attempts + 1, last_attempt_at = ?, "
                        + "next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL "
                        + "WHERE id = ? AND lease_owner = ?")
                .params(nextAttempt == null ? "DEAD" : PENDING, db(now), db(nextAttempt), cut(error), id, owner)
                .update();
    }

    /** Gives a claimed event back untouched (no attempt counted). */
    public void release(String id, String owner) {
        jdbc.sql("UPDATE payment_events SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?")
                .params(id, owner)
                .update();
    }

    private static String cut(String s) {
        return s == null || s.length() <= 512 ? s : s.substring(0, 512);
    }

    public int countForPayment(String paymentId, EventType type) {
        return jdbc.sql("SELECT COUNT(*) FROM payment_events WHERE payment_id = ? AND type = ?")
                .params(paymentId, type.wire())
                .query(Integer.class)
                .single();
    }

    private StoredEvent map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new StoredEvent(
                rs.getString("id"),
                rs.getString("payment_id"),
                rs.getString("type"),
                json.readTree(rs.getString("payload")).get("data"),
                instant(rs, "created_at"),
                rs.getString("delivery_status"),
                rs.getInt("attempts"),
                instant(rs, "next_attempt_at"),
                instant(rs, "last_attempt_at"),
                rs.getString("last_error"),
                instant(rs, "delivered_at"));
    }
}
