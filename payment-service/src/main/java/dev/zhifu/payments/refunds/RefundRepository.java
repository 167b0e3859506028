package dev.zhifu.payments.refunds;

import static dev.zhifu.payments.storage.Times.db;
import static dev.zhifu.payments.storage.Times.instant;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class RefundRepository {

    private final JdbcClient jdbc;

    public RefundRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(Refund r) {
        insert(r, null);
    }

    /** @param nextSyncAt when the refund job looks at it if nothing settled it before (e.g. this instance died) */
    public void insert(Refund r, Instant nextSyncAt) {
        jdbc.sql(
                        "INSERT INTO refunds (id, payment_id, seq, out_request_no, amount, reason, status, origin, created_at, "
                                + "updated_at, succeeded_at, next_sync_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        r.id(),
                        r.paymentId(),
                        r.seq(),
                        r.outRequestNo(),
                        r.amount(),
                        r.reason(),
                        r.status().name(),
                        r.origin(),
                        db(r.createdAt()),
                        db(r.updatedAt()),
                        db(r.succeededAt()),
                        db(nextSyncAt))
                .update();
    }

    public Optional<Refund> find(String id) {
        return jdbc.sql("SELECT * FROM refunds WHERE id = ?")
                .param(id)
                .query(RefundRepository::map)
                .optional();
    }

    public Optional<Refund> findByOutRequestNo(String outRequestNo) {
        return jdbc.sql("SELECT * FROM refunds WHERE out_request_no = ?")
                .param(outRequestNo)
                .query(RefundRepository::map)
                .optional();
    }

    public List<Refund> forPayment(String paymentId) {
        return jdbc.sql("SELECT * FROM refunds WHERE payment_id = ? ORDER BY seq")
                .param(paymentId)
                .query(RefundRepository::map)
                .list();
    }

    public int nextSeq(String paymentId) {
        Integer max = jdbc.sql("SELECT MAX(seq) FROM refunds WHERE payment_id = ?")
                .param(paymentId)
                .query(Integer.class)
                .optional()
                .orElse(null);
        return max == null ? 1 : max + 1;
    }

    /** Refunds that succeeded at {@code since} or later, of every payment, added up; null when none did. */
    public BigDecimal succeededAmountSince(Instant since) {
        return jdbc.sql("SELECT SUM(amount) FROM refunds WHERE status = 'SUCCEEDED' AND succeeded_at >= ?")
                .param(db(since))
                .query(BigDecimal.class)
                .optional()
                .orElse(null);
    }

    /** Amount of the payment's refunds that are done or may still be done. */
    public BigDecimal committedAmount(String paymentId) {
        BigDecimal sum = jdbc.sql(
                        "SELECT SUM(amount) FROM refunds WHERE payment_id = ? AND status IN ('PENDING', 'SUCCEEDED')")
                .param(paymentId)
                .query(BigDecimal.class)
                .optional()
                .orElse(null);
        return sum == null ? BigDecimal.ZERO : sum;
    }

    public int markSucceeded(String id, Instant at, Instant now) {
        return jdbc.sql(
                        "UPDATE refunds SET status = 'SUCCEEDED', succeeded_at = ?, updated_at = ?, next_sync_at = NULL "
                                + "WHERE id = ? AND status = 'PENDING'")
                .params(db(at), db(now), id)
                .update();
    }

    public int markFailed(String id, String code, String message, Instant now) {
        return jdbc.sql("UPDATE refunds SET status = 'FAILED', failure_code = ?, failure_message = ?, updated_at = ?, "
                        + "next_sync_at = NULL WHERE id = ? AND status = 'PENDING'")
                .params(code, message, db(now), id)
                .update();
    }

    public void scheduleSync(String id, Instant at) {
        jdbc.sql("UPDATE refunds SET next_sync_at = ? WHERE id = ? AND status = 'PENDING'")
                .params(db(at), id)
                .update();
    }

    static Refund map(ResultSet rs, int row) throws SQLException {
        return new Refund(
                rs.getString("id"),
                rs.getString("payment_id"),
                rs.getInt("seq"),
                rs.getString("out_request_no"),
                rs.getBigDecimal("amount"),
                rs.getString("reason"),
                RefundStatus.valueOf(rs.getString("status")),
                rs.getString("origin"),
                rs.getString("failure_code"),
                rs.getString("failure_message"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "succeeded_at"));
    }
}
