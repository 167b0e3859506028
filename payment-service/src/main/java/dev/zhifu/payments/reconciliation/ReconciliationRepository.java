package dev.zhifu.payments.reconciliation;

import static dev.zhifu.payments.storage.Times.db;
import static dev.zhifu.payments.storage.Times.instant;

import dev.zhifu.payments.payments.Channel;
import dev.zhifu.payments.storage.Ids;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The reconciliation tables (V20, keyed by channel since V71). A day of a channel is taken with a lease by one
 * conditional UPDATE, so several instances never reconcile the same day's bill at once; every later write of a
 * run names its lease owner.
 */
@Repository
class ReconciliationRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    ReconciliationRepository(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    // ---- days ----

    /** Alipay's row of the day: see {@link #ensureDay(LocalDate, Channel, Instant)}. */
    boolean ensureDay(LocalDate day, Instant now) {
        return ensureDay(day, Channel.ALIPAY, now);
    }

    /** Creates the day's row of the channel (PENDING, due now) unless it exists; several instances may race here. */
    boolean ensureDay(LocalDate day, Channel channel, Instant now) {
        if (find(day, channel).isPresent()) {
            return false;
        }
        try {
            jdbc.sql("INSERT INTO reconciliation_days (bill_date, channel, status, run_no, attempts, next_attempt_at, "
                            + "created_at, updated_at) VALUES (?, ?, ?, 0, 0, ?, ?, ?)")
                    .params(day, channel.name(), ReconciliationDay.PENDING, db(now), db(now), db(now))
                    .update();
            return true;
        } catch (DuplicateKeyException raced) {
            return false;
        }
    }

    Optional<ReconciliationDay> find(LocalDate day, Channel channel) {
        return jdbc.sql("SELECT * FROM reconciliation_days WHERE bill_date = ? AND channel = ?")
                .params(day, channel.name())
                .query(ReconciliationRepository::day)
                .optional();
    }

    /** The day's rows, one per channel reconciled (Alipay first); empty when the day never was. */
    List<ReconciliationDay> channels(LocalDate day) {
        return jdbc.sql("SELECT * FROM reconciliation_days WHERE bill_date = ? ORDER BY channel")
                .param(day)
                .query(ReconciliationRepository::day)
                .list();
    }

    /** The newest {@code limit} days, each with its rows (one per channel, Alipay first). */
    Map<LocalDate, List<ReconciliationDay>> list(int limit) {
        List<LocalDate> days = jdbc.sql("SELECT DISTINCT bill_date FROM reconciliation_days ORDER BY bill_date DESC "
                        + "LIMIT " + Math.max(1, limit))
                .query((rs, n) -> rs.getObject(1, LocalDate.class))
                .list();
        Map<LocalDate, List<ReconciliationDay>> byDay = new LinkedHashMap<>();
        days.forEach(d -> byDay.put(d, new ArrayList<>()));
        if (!days.isEmpty()) {
            jdbc.sql("SELECT * FROM reconciliation_days WHERE bill_date IN (:days) ORDER BY channel")
                    .param("days", days)
                    .query(ReconciliationRepository::day)
                    .list()
                    .forEach(d -> byDay.get(d.billDate()).add(d));
        }
        return byDay;
    }

    /**
     * A day reconciled before it was over (a run of "today" through the API) saw part of its bill only: it is
     * due again. Answers whether it was.
     */
    boolean requeueIfRunBefore(LocalDate day, Channel channel, Instant dayEnd, Instant now) {
        return jdbc.sql(
                                "UPDATE reconciliation_days SET next_attempt_at = ?, updated_at = ? WHERE bill_date = ? "
                                        + "AND channel = ? AND status = 'RECONCILED' AND next_attempt_at IS NULL AND started_at < ?")
                        .params(db(now), db(now), day, channel.name(), db(dayEnd))
                        .update()
                == 1;
    }

    /** A day of a channel. */
    record DayKey(LocalDate day, Channel channel) {}

    /** Days of the channels whose next attempt is due and that nobody holds. */
    List<DayKey> due(Instant now, Collection<Channel> channels, int limit) {
        return jdbc.sql("SELECT bill_date, channel FROM reconciliation_days WHERE next_attempt_at IS NOT NULL "
                        + "AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until < :now) "
                        + "AND channel IN (:channels) ORDER BY bill_date, channel LIMIT " + Math.max(1, limit))
                .param("now", db(now))
                .param("channels", channels.stream().map(Channel::name).toList())
                .query((rs, n) -> new DayKey(rs.getObject(1, LocalDate.class), Channel.valueOf(rs.getString(2))))
                .list();
    }

    /** Takes the day of the channel for a run (a new run number) when no live lease holds it. */
    boolean claim(LocalDate day, Channel channel, String owner, Instant now, Instant leaseUntil) {
        return jdbc.sql("UPDATE reconciliation_days SET lease_owner = ?, lease_until = ?, run_no = run_no + 1, "
                                + "attempts = attempts + 1, started_at = ?, updated_at = ? "
                                + "WHERE bill_date = ? AND channel = ? AND (lease_until IS NULL OR lease_until < ?)")
                        .params(owner, db(leaseUntil), db(now), db(now), day, channel.name(), db(now))
                        .update()
                == 1;
    }

    /** Extends the lease; false when it was lost (expired and taken by another instance). */
    boolean renew(LocalDate day, Channel channel, String owner, Instant leaseUntil) {
        return jdbc.sql("UPDATE reconciliation_days SET lease_until = ? WHERE bill_date = ? AND channel = ? "
                                + "AND lease_owner = ?")
                        .params(db(leaseUntil), day, channel.name(), owner)
                        .update()
                == 1;
    }

    /** Ends a run that did not reconcile (waiting for the bill, or failed) and releases the lease. */
    void endWithout(
            LocalDate day,
            Channel channel,
            String owner,
            String status,
            String error,
            Instant nextAttempt,
            Instant now) {
        jdbc.sql("UPDATE reconciliation_days SET status = ?, last_error = ?, next_attempt_at = ?, finished_at = ?, "
                        + "updated_at = ?, lease_owner = NULL, lease_until = NULL WHERE bill_date = ? AND channel = ? "
                        + "AND lease_owner = ?")
                .params(status, cut(error, 512), db(nextAttempt), db(now), db(now), day, channel.name(), owner)
                .update();
    }

    /** The file of this run is complete: it becomes the day's kept bill. */
    void billStored(
            LocalDate day,
            Channel channel,
            String owner,
            int runNo,
            String fileCode,
            String fileName,
            long size,
            String sha256,
            Instant now) {
        jdbc.sql(
                        "UPDATE reconciliation_days SET bill_run_no = ?, bill_file_code = ?, bill_file_name = ?, bill_size = ?, "
                                + "bill_sha256 = ?, bill_downloaded_at = ?, updated_at = ? WHERE bill_date = ? AND channel = ? "
                                + "AND lease_owner = ?")
                .params(runNo, fileCode, cut(fileName, 200), size, sha256, db(now), db(now), day, channel.name(), owner)
                .update();
    }

    record Totals(
            int lines,
            int paymentLines,
            int refundLines,
            BigDecimal paymentTotal,
            BigDecimal refundTotal,
            BigDecimal serviceFeeTotal,
            Integer footerPaymentCount,
            BigDecimal footerPaymentTotal,
            Integer footerRefundCount,
            BigDecimal footerRefundTotal,
            int matched) {}

    void reconciled(LocalDate day, Channel channel, String owner, Totals t, Instant now) {
        jdbc.sql(
                        "UPDATE reconciliation_days SET status = ?, last_error = NULL, next_attempt_at = NULL, attempts = 0, "
                                + "finished_at = ?, updated_at = ?, line_count = ?, payment_line_count = ?, refund_line_count = ?, "
                                + "payment_total = ?, refund_total = ?, service_fee_total = ?, footer_payment_count = ?, "
                                + "footer_payment_total = ?, footer_refund_count = ?, footer_refund_total = ?, matched_count = ?, "
                                + "lease_owner = NULL, lease_until = NULL WHERE bill_date = ? AND channel = ? AND lease_owner = ?")
                .params(
                        ReconciliationDay.RECONCILED,
                        db(now),
                        db(now),
                        t.lines(),
                        t.paymentLines(),
                        t.refundLines(),
                        t.paymentTotal(),
                        t.refundTotal(),
                        t.serviceFeeTotal(),
                        t.footerPaymentCount(),
                        t.footerPaymentTotal(),
                        t.footerRefundCount(),
                        t.footerRefundTotal(),
                        t.matched(),
                        day,
                        channel.name(),
                        owner)
                .update();
    }

    // ---- the kept bill file ----

    void insertChunk(LocalDate day, Channel channel, int runNo, int seq, String base64) {
        jdbc.sql("INSERT INTO reconciliation_bill_chunks (bill_date, channel, run_no, seq, content) "
                        + "VALUES (?, ?, ?, ?, ?)")
                .params(day, channel.name(), runNo, seq, base64)
                .update();
    }

    Optional<String> chunk(LocalDate day, Channel channel, int runNo, int seq) {
        return jdbc.sql("SELECT content FROM reconciliation_bill_chunks WHERE bill_date = ? AND channel = ? "
                        + "AND run_no = ? AND seq = ?")
                .params(day, channel.name(), runNo, seq)
                .query(String.class)
                .optional();
    }

    /** Drops every kept file of the day's channel but the one of {@code keepRunNo}. */
    void deleteChunksExcept(LocalDate day, Channel channel, int keepRunNo) {
        jdbc.sql("DELETE FROM reconciliation_bill_chunks WHERE bill_date = ? AND channel = ? AND run_no <> ?")
                .params(day, channel.name(), keepRunNo)
                .update();
    }

    // ---- bill lines (keys only) ----

    void deleteLines(LocalDate day, Channel channel) {
        jdbc.sql("DELETE FROM reconciliation_bill_lines WHERE bill_date = ? AND channel = ?")
                .params(day, channel.name())
                .update();
    }

    record Line(
            int lineNo,
            String type,
            String tradeNo,
            String outTradeNo,
            String outRequestNo,
            BigDecimal amount,
            BigDecimal serviceFee,
            Instant finishedAt) {}

    void insertLines(LocalDate day, Channel channel, List<Line> lines) {
        template.batchUpdate(
                "INSERT INTO reconciliation_bill_lines (bill_date, line_no, line_type, trade_no, out_trade_no, "
                        + "out_request_no, amount, service_fee, finished_at, channel) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                lines,
                lines.size(),
                (ps, l) -> {
                    ps.setObject(1, day);
                    ps.setInt(2, l.lineNo());
                    ps.setString(3, l.type());
                    ps.setString(4, cut(l.tradeNo(), 64));
                    ps.setString(5, cut(l.outTradeNo(), 64));
                    ps.setString(6, cut(l.outRequestNo(), 64));
                    ps.setBigDecimal(7, l.amount());
                    ps.setBigDecimal(8, l.serviceFee());
                    ps.setObject(9, db(l.finishedAt()));
                    ps.setString(10, channel.name());
                });
    }

    // ---- our side, looked up by the keys of a batch of lines ----

    /** What matching needs of a payment. */
    record LocalPayment(
            String id,
            String outTradeNo,
            String tradeNo,
            String status,
            BigDecimal amount,
            BigDecimal refundedAmount,
            Instant paidAt,
            Channel channel) {}

    record LocalRefund(
            String id, String paymentId, String outRequestNo, BigDecimal amount, String status, Instant succeededAt) {}

    private static final String PAYMENT_COLUMNS =
            "id, out_trade_no, trade_no, status, amount, refunded_amount, paid_at, channel";
    private static final String REFUND_COLUMNS = "id, payment_id, out_request_no, amount, status, succeeded_at";

    Map<String, LocalPayment> paymentsByOutTradeNo(Collection<String> outTradeNos) {
        return byKey(
                "SELECT " + PAYMENT_COLUMNS + " FROM payments WHERE out_trade_no IN (:keys)",
                outTradeNos,
                ReconciliationRepository::payment,
                LocalPayment::outTradeNo);
    }

    Map<String, LocalPayment> paymentsByTradeNo(Collection<String> tradeNos) {
        return byKey(
                "SELECT " + PAYMENT_COLUMNS + " FROM payments WHERE trade_no IN (:keys)",
                tradeNos,
                ReconciliationRepository::payment,
                LocalPayment::tradeNo);
    }

    Map<String, LocalRefund> refundsByOutRequestNo(Collection<String> outRequestNos) {
        return byKey(
                "SELECT " + REFUND_COLUMNS + " FROM refunds WHERE out_request_no IN (:keys)",
                outRequestNos,
                ReconciliationRepository::refund,
                LocalRefund::outRequestNo);
    }

    private <T> Map<String, T> byKey(
            String sql,
            Collection<String> keys,
            org.springframework.jdbc.core.RowMapper<T> mapper,
            java.util.function.Function<T, String> key) {
        Map<String, T> found = new LinkedHashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        for (T row : jdbc.sql(sql).param("keys", keys).query(mapper).list()) {
            found.put(key.apply(row), row);
        }
        return found;
    }

    /**
     * Payments paid here in {@code [from, to)} with no payment line in the bills of {@code lineFrom..lineTo}: one
     * page, by id after {@code afterId}.
     */
    List<LocalPayment> paidWithoutLine(
            Channel channel,
            Instant from,
            Instant to,
            LocalDate lineFrom,
            LocalDate lineTo,
            String afterId,
            int limit) {
        return jdbc.sql("SELECT " + PAYMENT_COLUMNS + " FROM payments p WHERE p.paid_at >= ? AND p.paid_at < ? "
                        + "AND " + ofChannel(channel) + " AND p.status IN ('PAID', 'REFUNDED') AND p.id > ? "
                        + "AND NOT EXISTS (SELECT 1 FROM reconciliation_bill_lines l WHERE l.out_trade_no = p.out_trade_no "
                        + "AND l.line_type = 'PAYMENT' AND l.channel = ? AND l.bill_date >= ? AND l.bill_date <= ?) "
                        + "ORDER BY p.id LIMIT " + Math.max(1, limit))
                .params(db(from), db(to), afterId == null ? "" : afterId, channel.name(), lineFrom, lineTo)
                .query(ReconciliationRepository::payment)
                .list();
    }

    /** Refunds that succeeded here in {@code [from, to)} with no refund line of their request number. */
    List<LocalRefund> refundedWithoutLine(
            Channel channel,
            Instant from,
            Instant to,
            LocalDate lineFrom,
            LocalDate lineTo,
            String afterId,
            int limit) {
        return jdbc.sql("SELECT " + REFUND_COLUMNS + " FROM refunds r WHERE r.succeeded_at >= ? AND r.succeeded_at < ? "
                        + "AND r.status = 'SUCCEEDED' AND r.id > ? AND EXISTS (SELECT 1 FROM payments p "
                        + "WHERE p.id = r.payment_id AND " + ofChannel(channel) + ") AND NOT EXISTS (SELECT 1 FROM "
                        + "reconciliation_bill_lines l WHERE l.out_request_no = r.out_request_no AND l.line_type = 'REFUND' "
                        + "AND l.channel = ? AND l.bill_date >= ? AND l.bill_date <= ?) ORDER BY r.id LIMIT "
                        + Math.max(1, limit))
                .params(db(from), db(to), afterId == null ? "" : afterId, channel.name(), lineFrom, lineTo)
                .query(ReconciliationRepository::refund)
                .list();
    }

    /**
     * The payments {@code p} of a channel's bill. A paid payment without a channel predates channels (V70 made
     * every earlier one Alipay's; only an unpaid {@code any_qr} payment has none): it is Alipay's.
     */
    private static String ofChannel(Channel channel) {
        return channel == Channel.ALIPAY ? "(p.channel = 'ALIPAY' OR p.channel IS NULL)" : "p.channel = 'WECHATPAY'";
    }

    /** Whether a payment was paid, or a refund of one succeeded, through {@code channel} in {@code [from, to)}. */
    boolean hasActivity(Channel channel, Instant from, Instant to) {
        return !jdbc.sql("SELECT id FROM payments WHERE paid_at >= ? AND paid_at < ? AND channel = ? "
                                + "AND status IN ('PAID', 'REFUNDED') LIMIT 1")
                        .params(db(from), db(to), channel.name())
                        .query(String.class)
                        .list()
                        .isEmpty()
                || !jdbc.sql("SELECT r.id FROM refunds r WHERE r.succeeded_at >= ? AND r.succeeded_at < ? "
                                + "AND r.status = 'SUCCEEDED' AND EXISTS (SELECT 1 FROM payments p "
                                + "WHERE p.id = r.payment_id AND p.channel = ?) LIMIT 1")
                        .params(db(from), db(to), channel.name())
                        .query(String.class)
                        .list()
                        .isEmpty();
    }

    Optional<String> outTradeNoOf(String paymentId) {
        return jdbc.sql("SELECT out_trade_no FROM payments WHERE id = ?")
                .param(paymentId)
                .query(String.class)
                .optional();
    }

    // ---- discrepancies ----

    /**
     * Stores a finding of run {@code runNo}: the same day, kind and reference updates the row in place (keeping
     * its id, and its status once repaired or resolved), so a re-run never duplicates. Answers the row's id.
     */
    String upsert(Discrepancy d, int runNo, Instant now) {
        int updated = jdbc.sql(
                        "UPDATE reconciliation_discrepancies SET out_trade_no = ?, trade_no = ?, out_request_no = ?, "
                                + "payment_id = ?, refund_id = ?, alipay_amount = ?, local_amount = ?, alipay_status = ?, "
                                + "local_status = ?, alipay_time = ?, local_time = ?, detail = ?, run_no = ?, updated_at = ? "
                                + "WHERE bill_date = ? AND channel = ? AND kind = ? AND ref_key = ?")
                .params(
                        d.outTradeNo(),
                        d.tradeNo(),
                        d.outRequestNo(),
                        d.paymentId(),
                        d.refundId(),
                        d.alipayAmount(),
                        d.localAmount(),
                        d.alipayStatus(),
                        d.localStatus(),
                        db(d.alipayTime()),
                        db(d.localTime()),
                        cut(d.detail(), 1000),
                        runNo,
                        db(now),
                        d.billDate(),
                        d.channel().name(),
                        d.kind().name(),
                        d.refKey())
                .update();
        if (updated == 0) {
            jdbc.sql(
                            "INSERT INTO reconciliation_discrepancies (id, bill_date, channel, kind, ref_key, status, out_trade_no, "
                                    + "trade_no, out_request_no, payment_id, refund_id, alipay_amount, local_amount, alipay_status, "
                                    + "local_status, alipay_time, local_time, detail, run_no, detected_at, updated_at) "
                                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(
                            Ids.next("dsc"),
                            d.billDate(),
                            d.channel().name(),
                            d.kind().name(),
                            d.refKey(),
                            Discrepancy.OPEN,
                            d.outTradeNo(),
                            d.tradeNo(),
                            d.outRequestNo(),
                            d.paymentId(),
                            d.refundId(),
                            d.alipayAmount(),
                            d.localAmount(),
                            d.alipayStatus(),
                            d.localStatus(),
                            db(d.alipayTime()),
                            db(d.localTime()),
                            cut(d.detail(), 1000),
                            runNo,
                            db(now),
                            db(now))
                    .update();
        }
        return jdbc.sql("SELECT id FROM reconciliation_discrepancies WHERE bill_date = ? AND channel = ? AND kind = ? "
                        + "AND ref_key = ?")
                .params(d.billDate(), d.channel().name(), d.kind().name(), d.refKey())
                .query(String.class)
                .single();
    }

    /** Open findings an earlier run made that this run did not make again: the condition is gone. */
    int deleteStaleOpen(LocalDate day, Channel channel, int runNo) {
        return jdbc.sql("DELETE FROM reconciliation_discrepancies WHERE bill_date = ? AND channel = ? "
                        + "AND status = 'OPEN' AND run_no < ?")
                .params(day, channel.name(), runNo)
                .update();
    }

    Optional<Discrepancy> discrepancy(String id) {
        return jdbc.sql("SELECT * FROM reconciliation_discrepancies WHERE id = ?")
                .param(id)
                .query(ReconciliationRepository::discrepancy)
                .optional();
    }

    /** One page of a day's discrepancies of every channel: see the method with a channel. */
    List<Discrepancy> discrepancies(LocalDate day, String status, String kind, String afterId, int limit) {
        return discrepancies(day, null, status, kind, afterId, limit);
    }

    /**
     * One page of a day's discrepancies in id order after {@code afterId} (null: from the start); {@code channel},
     * {@code status}, {@code kind} null: any.
     */
    List<Discrepancy> discrepancies(
            LocalDate day, Channel channel, String status, String kind, String afterId, int limit) {
        StringBuilder sql =
                new StringBuilder("SELECT * FROM reconciliation_discrepancies WHERE bill_date = :day AND id > :after");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("day", day);
        params.put("after", afterId == null ? "" : afterId);
        if (channel != null) {
            sql.append(" AND channel = :channel");
            params.put("channel", channel.name());
        }
        if (status != null) {
            sql.append(" AND status = :status");
            params.put("status", status);
        }
        if (kind != null) {
            sql.append(" AND kind = :kind");
            params.put("kind", kind);
        }
        sql.append(" ORDER BY id LIMIT ").append(Math.max(1, limit));
        return jdbc.sql(sql.toString())
                .params(params)
                .query(ReconciliationRepository::discrepancy)
                .list();
    }

    boolean markRepaired(String id, String repair, Instant now) {
        return jdbc.sql("UPDATE reconciliation_discrepancies SET status = 'REPAIRED', repair = ?, repaired_at = ?, "
                                + "updated_at = ? WHERE id = ? AND status = 'OPEN'")
                        .params(cut(repair, 512), db(now), db(now), id)
                        .update()
                == 1;
    }

    /** Notes why an automatic repair was not made; the discrepancy stays OPEN for a person. */
    void noteRepairNotMade(String id, String why, Instant now) {
        jdbc.sql("UPDATE reconciliation_discrepancies SET repair = ?, updated_at = ? WHERE id = ? AND status = 'OPEN'")
                .params(cut(why, 512), db(now), id)
                .update();
    }

    boolean resolve(String id, LocalDate day, String note, Instant now) {
        return jdbc.sql(
                                "UPDATE reconciliation_discrepancies SET status = 'RESOLVED', resolution_note = ?, resolved_at = ?, "
                                        + "updated_at = ? WHERE id = ? AND bill_date = ? AND status = 'OPEN'")
                        .params(note, db(now), db(now), id, day)
                        .update()
                == 1;
    }

    /**
     * Discrepancies of a day's channel first detected at or after {@code since}, by kind: what one run newly
     * found.
     */
    Map<String, Integer> foundSince(LocalDate day, Channel channel, Instant since) {
        Map<String, Integer> byKind = new LinkedHashMap<>();
        jdbc.sql("SELECT kind, COUNT(*) AS n FROM reconciliation_discrepancies WHERE bill_date = :day "
                        + "AND channel = :channel AND detected_at >= :since GROUP BY kind")
                .param("day", day)
                .param("channel", channel.name())
                .param("since", db(since))
                .query(rs -> {
                    byKind.put(rs.getString("kind"), rs.getInt("n"));
                });
        return byKind;
    }

    /** day → status → count, for the given days (every channel). */
    Map<LocalDate, Map<String, Integer>> counts(Collection<LocalDate> days) {
        Map<LocalDate, Map<String, Integer>> counts = new LinkedHashMap<>();
        countsByChannel(days)
                .forEach((day, byChannel) -> byChannel
                        .values()
                        .forEach(byStatus ->
                                byStatus.forEach((status, n) -> counts.computeIfAbsent(day, d -> new LinkedHashMap<>())
                                        .merge(status, n, Integer::sum))));
        return counts;
    }

    /** day → channel → status → count, for the given days. */
    Map<LocalDate, Map<Channel, Map<String, Integer>>> countsByChannel(Collection<LocalDate> days) {
        Map<LocalDate, Map<Channel, Map<String, Integer>>> counts = new LinkedHashMap<>();
        if (days.isEmpty()) {
            return counts;
        }
        jdbc.sql("SELECT bill_date, channel, status, COUNT(*) AS n FROM reconciliation_discrepancies "
                        + "WHERE bill_date IN (:days) GROUP BY bill_date, channel, status")
                .param("days", new ArrayList<>(days))
                .query(rs -> {
                    counts.computeIfAbsent(rs.getObject("bill_date", LocalDate.class), d -> new LinkedHashMap<>())
                            .computeIfAbsent(Channel.valueOf(rs.getString("channel")), c -> new LinkedHashMap<>())
                            .put(rs.getString("status"), rs.getInt("n"));
                });
        return counts;
    }

    // ---- mapping ----

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    static ReconciliationDay day(ResultSet rs, int row) throws SQLException {
        return new ReconciliationDay(
                rs.getObject("bill_date", LocalDate.class),
                Channel.valueOf(rs.getString("channel")),
                rs.getString("status"),
                rs.getInt("run_no"),
                rs.getInt("attempts"),
                instant(rs, "next_attempt_at"),
                rs.getString("last_error"),
                rs.getString("lease_owner"),
                instant(rs, "lease_until"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                rs.getObject("bill_run_no", Integer.class),
                rs.getString("bill_file_code"),
                rs.getString("bill_file_name"),
                rs.getObject("bill_size", Long.class),
                rs.getString("bill_sha256"),
                instant(rs, "bill_downloaded_at"),
                rs.getObject("line_count", Integer.class),
                rs.getObject("payment_line_count", Integer.class),
                rs.getObject("refund_line_count", Integer.class),
                rs.getBigDecimal("payment_total"),
                rs.getBigDecimal("refund_total"),
                rs.getBigDecimal("service_fee_total"),
                rs.getObject("footer_payment_count", Integer.class),
                rs.getBigDecimal("footer_payment_total"),
                rs.getObject("footer_refund_count", Integer.class),
                rs.getBigDecimal("footer_refund_total"),
                rs.getObject("matched_count", Integer.class));
    }

    static LocalPayment payment(ResultSet rs, int row) throws SQLException {
        return new LocalPayment(
                rs.getString("id"),
                rs.getString("out_trade_no"),
                rs.getString("trade_no"),
                rs.getString("status"),
                rs.getBigDecimal("amount"),
                rs.getBigDecimal("refunded_amount"),
                instant(rs, "paid_at"),
                rs.getString("channel") == null ? null : Channel.valueOf(rs.getString("channel")));
    }

    static LocalRefund refund(ResultSet rs, int row) throws SQLException {
        return new LocalRefund(
                rs.getString("id"),
                rs.getString("payment_id"),
                rs.getString("out_request_no"),
                rs.getBigDecimal("amount"),
                rs.getString("status"),
                instant(rs, "succeeded_at"));
    }

    static Discrepancy discrepancy(ResultSet rs, int row) throws SQLException {
        return new Discrepancy(
                rs.getString("id"),
                rs.getObject("bill_date", LocalDate.class),
                Channel.valueOf(rs.getString("channel")),
                DiscrepancyKind.valueOf(rs.getString("kind")),
                rs.getString("ref_key"),
                rs.getString("status"),
                rs.getString("out_trade_no"),
                rs.getString("trade_no"),
                rs.getString("out_request_no"),
                rs.getString("payment_id"),
                rs.getString("refund_id"),
                rs.getBigDecimal("alipay_amount"),
                rs.getBigDecimal("local_amount"),
                rs.getString("alipay_status"),
                rs.getString("local_status"),
                instant(rs, "alipay_time"),
                instant(rs, "local_time"),
                rs.getString("detail"),
                rs.getString("repair"),
                instant(rs, "repaired_at"),
                rs.getString("resolution_note"),
                instant(rs, "resolved_at"),
                rs.getInt("run_no"),
                instant(rs, "detected_at"),
                instant(rs, "updated_at"));
    }
}
