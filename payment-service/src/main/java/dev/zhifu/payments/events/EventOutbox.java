package dev.zhifu.payments.events;

import static dev.zhifu.payments.support.Times.db;
import static dev.zhifu.payments.support.Times.instant;

import dev.zhifu.payments.support.Ids;
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

    public EventOutbox(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** Must run inside the transaction of the change. */
    @Transactional(propagation = Propagation.MANDATORY)
    public String append(String paymentId, int paymentVersion, EventType type, Object data) {
        String id = Ids.next("evt");
        Instant now = clock.instant();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", id);
        payload.put("type", type.wire());
        payload.put("created_at", now.toString());
        payload.put("data", data);
        jdbc.sql("INSERT INTO payment_events (id, payment_id, payment_version, type, payload, created_at, delivery_status, "
                        + "attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)")
                .params(id, paymentId, paymentVersion, type.wire(), json.writeValueAsString(payload), db(now), PENDING, db(now))
                .update();
        return id;
    }

    public List<StoredEvent> list(String paymentId, int limit) {
        String where = paymentId == null ? "" : " WHERE payment_id = :paymentId";
        var sql = jdbc.sql("SELECT * FROM payment_events" + where + " ORDER BY created_at DESC, payment_version DESC LIMIT "
                + Math.max(1, limit));
        if (paymentId != null) {
            sql = sql.param("paymentId", paymentId);
        }
        return sql.query(this::map).list();
    }

    public Optional<StoredEvent> find(String id) {
        return jdbc.sql("SELECT * FROM payment_events WHERE id = ?").param(id).query(this::map).optional();
    }

    /** Puts an event back in the queue (also a delivered or dead one); the dispatcher picks it up. */
    public void redeliver(String id) {
        jdbc.sql("UPDATE payment_events SET delivery_status = ?, next_attempt_at = ?, lease_owner = NULL, "
                + "lease_until = NULL WHERE id = ?").params(PENDING, db(clock.instant()), id).update();
    }

    public int countForPayment(String paymentId, EventType type) {
        return jdbc.sql("SELECT COUNT(*) FROM payment_events WHERE payment_id = ? AND type = ?")
                .params(paymentId, type.wire()).query(Integer.class).single();
    }

    private StoredEvent map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new StoredEvent(rs.getString("id"), rs.getString("payment_id"), rs.getString("type"),
                json.readTree(rs.getString("payload")).get("data"), instant(rs, "created_at"),
                rs.getString("delivery_status"), rs.getInt("attempts"), instant(rs, "next_attempt_at"),
                instant(rs, "last_attempt_at"), rs.getString("last_error"), instant(rs, "delivered_at"));
    }
}
