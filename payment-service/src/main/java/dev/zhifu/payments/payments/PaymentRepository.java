package dev.zhifu.payments.payments;

import static dev.zhifu.payments.storage.Times.db;
import static dev.zhifu.payments.storage.Times.instant;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The payments table. Status changes are single conditional UPDATEs: the number of rows they touch says
 * whether this caller made the change, so concurrent callers cannot both make it.
 */
@Repository
public class PaymentRepository {

    private static final String COLUMNS =
            "id, out_trade_no, trade_no, method, channel, status, amount, refunded_amount, subject, "
                    + "metadata, request_hash, return_url, action_type, action_value, failure_code, failure_message, "
                    + "buyer_logon_id, version, created_at, updated_at, expires_at, paid_at, closed_at";

    private final JdbcClient jdbc;

    public PaymentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param nextSyncAt  when the sync job first asks Alipay about it (also if this instance dies right away)
     * @param traceParent the trace of the request that creates it, for the notification's span link; or null
     */
    public void insert(Payment p, Instant nextSyncAt, String traceParent) {
        jdbc.sql(
                        "INSERT INTO payments (" + COLUMNS
                                + ", next_sync_at, trace_parent) VALUES (:id, :outTradeNo, NULL, "
                                + ":method, :channel, 'PENDING', :amount, 0, :subject, :metadata, :requestHash, :returnUrl, NULL, NULL, "
                                + "NULL, NULL, NULL, 1, :createdAt, :createdAt, :expiresAt, NULL, NULL, :nextSyncAt, :traceParent)")
                .param("id", p.id())
                .param("outTradeNo", p.outTradeNo())
                .param("method", p.method().name())
                .param("channel", p.channel() == null ? null : p.channel().name())
                .param("amount", p.amount())
                .param("subject", p.subject())
                .param("metadata", p.metadataJson())
                .param("requestHash", p.requestHash())
                .param("returnUrl", p.returnUrl())
                .param("createdAt", db(p.createdAt()))
                .param("expiresAt", db(p.expiresAt()))
                .param("nextSyncAt", db(nextSyncAt))
                .param("traceParent", traceParent)
                .update();
    }

    public Optional<Payment> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payments WHERE id = ?")
                .param(id)
                .query(PaymentRepository::map)
                .optional();
    }

    public Optional<Payment> findByOutTradeNo(String outTradeNo) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payments WHERE out_trade_no = ?")
                .param(outTradeNo)
                .query(PaymentRepository::map)
                .optional();
    }

    /** One read for a notification: the payment it is about, and the trace its span links to. */
    public Optional<TracedPayment> findTracedByOutTradeNo(String outTradeNo) {
        return jdbc.sql("SELECT " + COLUMNS + ", trace_parent FROM payments WHERE out_trade_no = ?")
                .param(outTradeNo)
                .query((rs, n) -> new TracedPayment(map(rs, n), rs.getString("trace_parent")))
                .optional();
    }

    /** Locks the row until the transaction ends (refunds reserve the refundable amount under it). */
    public Optional<Payment> lock(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payments WHERE id = ? FOR UPDATE")
                .param(id)
                .query(PaymentRepository::map)
                .optional();
    }

    public void setAction(String id, String type, String value, Instant now) {
        jdbc.sql("UPDATE payments SET action_type = ?, action_value = ?, updated_at = ? WHERE id = ?")
                .params(type, value, db(now), id)
                .update();
    }

    /**
     * PENDING → PAID through {@code channel}: an {@code any_qr} payment (no channel yet) takes the paying wallet's;
     * a payment of the other channel is not touched (its wallet cannot have paid it).
     */
    public int markPaid(String id, Channel channel, String tradeNo, String buyerLogonId, Instant paidAt, Instant now) {
        return jdbc.sql(
                        "UPDATE payments SET status = 'PAID', channel = ?, trade_no = COALESCE(?, trade_no), "
                                + "buyer_logon_id = COALESCE(?, buyer_logon_id), paid_at = ?, updated_at = ?, version = version + 1, "
                                + "next_sync_at = NULL WHERE id = ? AND status = 'PENDING' AND (channel IS NULL OR channel = ?)")
                .params(channel.name(), tradeNo, buyerLogonId, db(paidAt), db(now), id, channel.name())
                .update();
    }

    public int markClosed(String id, String failureCode, String failureMessage, Instant now) {
        return jdbc.sql("UPDATE payments SET status = 'CLOSED', failure_code = COALESCE(?, failure_code), "
                        + "failure_message = COALESCE(?, failure_message), closed_at = ?, updated_at = ?, "
                        + "version = version + 1, next_sync_at = NULL WHERE id = ? AND status = 'PENDING'")
                .params(failureCode, failureMessage, db(now), db(now), id)
                .update();
    }

    /** Fills in Alipay's trade number once known; never overwrites one. */
    public void rememberTradeNo(String id, String tradeNo, Instant now) {
        if (tradeNo != null && !tradeNo.isBlank()) {
            jdbc.sql("UPDATE payments SET trade_no = ?, updated_at = ? WHERE id = ? AND trade_no IS NULL")
                    .params(tradeNo, db(now), id)
                    .update();
        }
    }

    /**
     * Adds a successful refund; moves to REFUNDED when nothing is left. {@code status} is assigned before
     * {@code refunded_amount} because MySQL evaluates SET assignments left to right with updated values.
     */
    public int addRefunded(String id, BigDecimal amount, Instant now) {
        return jdbc.sql(
                        "UPDATE payments SET status = CASE WHEN refunded_amount + ? >= amount THEN 'REFUNDED' ELSE status END, "
                                + "refunded_amount = refunded_amount + ?, updated_at = ?, version = version + 1 "
                                + "WHERE id = ? AND status = 'PAID' AND refunded_amount + ? <= amount")
                .params(amount, amount, db(now), id, amount)
                .update();
    }

    public void scheduleSync(String id, Instant at) {
        jdbc.sql("UPDATE payments SET next_sync_at = ? WHERE id = ? AND status = 'PENDING'")
                .params(db(at), id)
                .update();
    }

    /**
     * Brings a pending payment's next query forward to {@code now} when it was due later than {@code notAfter}:
     * the buyer is back, a query now may find it paid. A payment queried in the last moments keeps its turn.
     */
    public void bringSyncForward(String id, Instant now, Instant notAfter) {
        jdbc.sql("UPDATE payments SET next_sync_at = ? WHERE id = ? AND status = 'PENDING' AND next_sync_at > ?")
                .params(db(now), id, db(notAfter))
                .update();
    }

    /** Pending payments whose query is due at {@code now}, and the earliest such due time (null when none). */
    public SyncDue syncDue(Instant now) {
        return jdbc.sql("SELECT COUNT(*) AS due, MIN(next_sync_at) AS oldest FROM payments "
                        + "WHERE status = 'PENDING' AND next_sync_at <= ?")
                .param(db(now))
                .query((rs, n) -> new SyncDue(rs.getLong("due"), instant(rs, "oldest")))
                .single();
    }

    /** {@link #syncDue}'s answer. */
    public record SyncDue(long count, Instant oldest) {}

    /** A barcode payment with an unknown outcome: polled from {@code nextPoll}, cancelled after {@code deadline}. */
    public void startBarcodePoll(String id, Instant deadline, Instant nextPoll) {
        jdbc.sql("UPDATE payments SET barcode_deadline = ?, next_sync_at = ? WHERE id = ? AND status = 'PENDING'")
                .params(db(deadline), db(nextPoll), id)
                .update();
    }

    /** The deadline of an unfinished barcode poll, if this payment has one. */
    public Optional<Instant> barcodeDeadline(String id) {
        return jdbc.sql("SELECT barcode_deadline FROM payments WHERE id = ?")
                .param(id)
                .query((rs, n) -> Optional.ofNullable(instant(rs, "barcode_deadline")))
                .optional()
                .flatMap(o -> o);
    }

    /** When the sync job looks at it next (null: never, it is settled). */
    public Optional<Instant> nextSyncAt(String id) {
        return jdbc.sql("SELECT next_sync_at FROM payments WHERE id = ? AND status = 'PENDING'")
                .param(id)
                .query((rs, n) -> Optional.ofNullable(instant(rs, "next_sync_at")))
                .optional()
                .flatMap(o -> o);
    }

    static Payment map(ResultSet rs, int row) throws SQLException {
        return new Payment(
                rs.getString("id"),
                rs.getString("out_trade_no"),
                rs.getString("trade_no"),
                PaymentMethod.valueOf(rs.getString("method")),
                rs.getString("channel") == null ? null : Channel.valueOf(rs.getString("channel")),
                PaymentStatus.valueOf(rs.getString("status")),
                rs.getBigDecimal("amount"),
                rs.getBigDecimal("refunded_amount"),
                rs.getString("subject"),
                rs.getString("metadata"),
                rs.getString("request_hash"),
                rs.getString("return_url"),
                rs.getString("action_type"),
                rs.getString("action_value"),
                rs.getString("failure_code"),
                rs.getString("failure_message"),
                rs.getString("buyer_logon_id"),
                rs.getInt("version"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "expires_at"),
                instant(rs, "paid_at"),
                instant(rs, "closed_at"));
    }
}
