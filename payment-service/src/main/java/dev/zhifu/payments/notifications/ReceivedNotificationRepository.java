package dev.zhifu.payments.notifications;

import static dev.zhifu.payments.storage.Times.db;
import static dev.zhifu.payments.storage.Times.instant;

import dev.zhifu.payments.storage.Ids;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Every notification as received, with what was done with it and why: the audit trail. */
@Repository
public class ReceivedNotificationRepository {

    private final JdbcClient jdbc;

    public ReceivedNotificationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(ReceivedNotification r) {
        jdbc.sql("INSERT INTO received_notifications (id, received_at, remote_addr, raw_body, charset, notify_id, "
                        + "notify_type, out_trade_no, trade_status, outcome, reason, channel) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        r.id() == null ? Ids.next("ntf") : r.id(),
                        db(r.receivedAt()),
                        r.remoteAddr(),
                        r.rawBody(),
                        cut(r.charset(), 16),
                        cut(r.notifyId(), 128),
                        cut(r.notifyType(), 64),
                        cut(r.outTradeNo(), 64),
                        cut(r.tradeStatus(), 32),
                        r.outcome(),
                        cut(r.reason(), 512),
                        r.channel())
                .update();
    }

    public List<ReceivedNotification> forTrade(String outTradeNo) {
        return jdbc.sql("SELECT * FROM received_notifications WHERE out_trade_no = ? ORDER BY received_at")
                .param(outTradeNo)
                .query((rs, n) -> new ReceivedNotification(
                        rs.getString("id"),
                        instant(rs, "received_at"),
                        rs.getString("remote_addr"),
                        rs.getString("raw_body"),
                        rs.getString("charset"),
                        rs.getString("notify_id"),
                        rs.getString("notify_type"),
                        rs.getString("out_trade_no"),
                        rs.getString("trade_status"),
                        rs.getString("outcome"),
                        rs.getString("reason"),
                        rs.getString("channel")))
                .list();
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
