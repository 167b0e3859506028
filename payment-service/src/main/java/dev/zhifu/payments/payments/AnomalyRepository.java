package dev.zhifu.payments.payments;

import static dev.zhifu.payments.storage.Times.db;
import static dev.zhifu.payments.storage.Times.instant;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class AnomalyRepository {

    private final JdbcClient jdbc;

    public AnomalyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records it unless already recorded; true when this call recorded it. */
    public boolean insertOnce(Anomaly a) {
        Integer known = jdbc.sql(
                        "SELECT COUNT(*) FROM payment_anomalies WHERE payment_id = ? AND kind = ? AND trade_no = ?")
                .params(a.paymentId(), a.kind(), a.tradeNo())
                .query(Integer.class)
                .single();
        if (known > 0) {
            return false;
        }
        jdbc.sql("INSERT INTO payment_anomalies (id, payment_id, kind, trade_no, amount, detail, detected_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(a.id(), a.paymentId(), a.kind(), a.tradeNo(), a.amount(), a.detail(), db(a.detectedAt()))
                .update();
        return true;
    }

    /** Marks the payment's open anomalies of this kind resolved; true when there was one. */
    public boolean resolve(String paymentId, String kind, String note, java.time.Instant now) {
        return jdbc.sql("UPDATE payment_anomalies SET resolved_at = ?, detail = ? "
                                + "WHERE payment_id = ? AND kind = ? AND resolved_at IS NULL")
                        .params(db(now), note, paymentId, kind)
                        .update()
                > 0;
    }

    /** Anomalies not resolved yet, of every payment. */
    public long countOpen() {
        return jdbc.sql("SELECT COUNT(*) FROM payment_anomalies WHERE resolved_at IS NULL")
                .query(Long.class)
                .single();
    }

    public List<Anomaly> forPayment(String paymentId) {
        return jdbc.sql("SELECT * FROM payment_anomalies WHERE payment_id = ? ORDER BY detected_at")
                .param(paymentId)
                .query((rs, n) -> new Anomaly(
                        rs.getString("id"),
                        rs.getString("payment_id"),
                        rs.getString("kind"),
                        rs.getString("trade_no"),
                        rs.getBigDecimal("amount"),
                        rs.getString("detail"),
                        instant(rs, "detected_at"),
                        instant(rs, "resolved_at")))
                .list();
    }
}
