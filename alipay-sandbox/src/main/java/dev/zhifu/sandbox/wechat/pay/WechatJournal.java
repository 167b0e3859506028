package dev.zhifu.sandbox.wechat.pay;

import static dev.zhifu.sandbox.state.StateFile.instant;
import static dev.zhifu.sandbox.state.StateFile.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zhifu.sandbox.state.StateFile;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps WeChat Pay's orders across restarts in the state file the Alipay trades are kept in: one line with
 * {@code "channel":"wechatpay"} each time an order was placed or changed (paid, scanned, closed, refunded, a refund
 * completed), the last line of an order ({@code mchid} + {@code out_trade_no}) winning and a line cut by a crash
 * skipped (docs/sandbox.md#state-file).
 */
public final class WechatJournal {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StateFile file;
    /** What was last written of each order: a line is appended only when this differs. */
    private final Map<String, State> written = new HashMap<>();

    /** The parts of an order that change after it was placed (cheap to compare once a second). */
    private record State(
            TradeState state,
            String payerOpenid,
            String transactionId,
            Instant successTime,
            boolean scanned,
            int refunds,
            long refundsSucceeded) {
        static State of(WechatTrade t) {
            List<WechatRefund> refunds = t.refunds();
            return new State(
                    t.state(),
                    t.payerOpenid(),
                    t.transactionId(),
                    t.successTime(),
                    t.scanned(),
                    refunds.size(),
                    refunds.stream().filter(r -> r.succeededAt() != null).count());
        }
    }

    public WechatJournal(StateFile file) {
        this.file = file;
    }

    /** The orders the file holds, each as its last line says, oldest change first. */
    public List<WechatTrade> load() {
        Map<String, WechatTrade> trades = new LinkedHashMap<>();
        for (String line : file.lines()) {
            WechatTrade t = parse(line);
            if (t != null) {
                String key = key(t);
                trades.remove(key); // keeps the order of last change
                trades.put(key, t);
                written.put(key, State.of(t));
            }
        }
        return new ArrayList<>(trades.values());
    }

    /** Appends every order placed or changed since the last call. The caller holds the book's lock. */
    void record(Collection<WechatTrade> trades) {
        List<String> lines = new ArrayList<>();
        Map<String, State> changed = new HashMap<>();
        for (WechatTrade t : trades) {
            State now = State.of(t);
            String key = key(t);
            if (!now.equals(written.get(key))) {
                lines.add(toJson(t));
                changed.put(key, now);
            }
        }
        file.append(lines);
        written.putAll(changed); // only once written: a failed append is tried again next time
    }

    private static String key(WechatTrade t) {
        return t.mchid() + "\u0000" + t.outTradeNo();
    }

    static String toJson(WechatTrade t) {
        ObjectNode o = JSON.createObjectNode();
        o.put(StateFile.CHANNEL, StateFile.WECHATPAY);
        o.put("mchid", t.mchid());
        o.put("appid", t.appid());
        o.put("out_trade_no", t.outTradeNo());
        o.put("trade_type", t.type().name());
        o.put("description", t.description());
        o.put("total", t.totalFen());
        o.put("currency", t.currency());
        o.put("attach", t.attach());
        o.put("notify_url", t.notifyUrl());
        o.put("prepay_id", t.prepayId());
        o.put("created_at", instant(t.createdAt()));
        o.put("time_expire", instant(t.timeExpire()));
        o.put("trade_state", t.state().name());
        o.put("payer_openid", t.payerOpenid());
        o.put("transaction_id", t.transactionId());
        o.put("success_time", instant(t.successTime()));
        o.put("scanned", t.scanned());
        ArrayNode refunds = o.putArray("refunds");
        for (WechatRefund r : t.refunds()) {
            refunds.addObject()
                    .put("refund_id", r.refundId())
                    .put("out_refund_no", r.outRefundNo())
                    .put("refund", r.refundFen())
                    .put("reason", r.reason())
                    .put("notify_url", r.notifyUrl())
                    .put("created_at", instant(r.createdAt()))
                    .put("status", r.status())
                    .put("succeeded_at", instant(r.succeededAt()));
        }
        return o.toString();
    }

    /** The order a line describes; null for a blank, cut or unreadable line or another gateway's. */
    static WechatTrade parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            JsonNode o = JSON.readTree(line);
            if (!StateFile.channel(o).equals(StateFile.WECHATPAY)) {
                return null;
            }
            WechatTrade t = new WechatTrade(
                    required(o, "mchid"),
                    text(o, "appid"),
                    required(o, "out_trade_no"),
                    TradeType.valueOf(required(o, "trade_type")),
                    text(o, "description"),
                    o.get("total").asLong(),
                    text(o, "currency"),
                    text(o, "attach"),
                    text(o, "notify_url"),
                    null,
                    required(o, "prepay_id"),
                    Instant.parse(required(o, "created_at")),
                    instant(o, "time_expire"));
            List<WechatRefund> refunds = new ArrayList<>();
            for (JsonNode r : o.path("refunds")) {
                refunds.add(WechatRefund.restored(
                        required(r, "refund_id"),
                        required(r, "out_refund_no"),
                        r.get("refund").asLong(),
                        text(r, "reason"),
                        text(r, "notify_url"),
                        Instant.parse(required(r, "created_at")),
                        instant(r, "succeeded_at")));
            }
            t.restore(
                    TradeState.valueOf(required(o, "trade_state")),
                    text(o, "payer_openid"),
                    text(o, "transaction_id"),
                    instant(o, "success_time"),
                    o.path("scanned").asBoolean(),
                    refunds);
            return t;
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    private static String required(JsonNode o, String field) {
        String v = text(o, field);
        if (v == null) {
            throw new IllegalArgumentException("no " + field);
        }
        return v;
    }
}
