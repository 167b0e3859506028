package dev.zhifu.sandbox.trade;

import static dev.zhifu.sandbox.state.StateFile.instant;
import static dev.zhifu.sandbox.state.StateFile.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zhifu.sandbox.state.StateFile;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a sandbox's trades across restarts, as Alipay keeps them: a file of JSON lines, one written each time a
 * trade was created or changed, the last line of a trade winning. A demo whose own database outlives the process
 * can then still refund, close or query what was paid before a restart. Notifications still being re-sent are
 * not kept (the merchant's order sync covers them).
 */
public final class TradeJournal {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StateFile file;
    /** What was last written of each trade: a line is appended only when this differs. */
    private final Map<String, State> written = new HashMap<>();

    /** The parts of a trade that change after its creation. */
    private record State(
            TradeStatus status, boolean known, Buyer buyer, Instant gmtPayment, Instant gmtClose, int refunds) {
        static State of(Trade t) {
            return new State(t.status, t.known, t.buyer, t.gmtPayment, t.gmtClose, t.refunds.size());
        }
    }

    /** Keeps the trades in {@code file}, which the WeChat Pay side may share (its lines are left alone). */
    public TradeJournal(StateFile file) {
        this.file = file;
    }

    public TradeJournal(Path file) {
        this(new StateFile(file));
    }

    public Path file() {
        return file.path();
    }

    /**
     * The trades the file holds, each as its last line says; a line that cannot be read (cut by a crash) or that
     * belongs to another gateway is skipped.
     */
    public List<Trade> load() {
        Map<String, Trade> trades = new LinkedHashMap<>();
        for (String line : file.lines()) {
            Trade t = parse(line);
            if (t != null) {
                trades.remove(t.tradeNo); // keeps the order of last change
                trades.put(t.tradeNo, t);
                written.put(t.tradeNo, State.of(t));
            }
        }
        return new ArrayList<>(trades.values());
    }

    /** Appends every trade created or changed since the last call. The caller holds the desk's lock. */
    void record(Collection<Trade> trades) {
        List<String> lines = new ArrayList<>();
        Map<String, State> changed = new HashMap<>();
        for (Trade t : trades) {
            State now = State.of(t);
            if (!now.equals(written.get(t.tradeNo))) {
                lines.add(toJson(t));
                changed.put(t.tradeNo, now);
            }
        }
        file.append(lines);
        written.putAll(changed); // only once written: a failed append is tried again next time
    }

    static String toJson(Trade t) {
        ObjectNode o = JSON.createObjectNode();
        o.put(StateFile.CHANNEL, StateFile.ALIPAY);
        o.put("trade_no", t.tradeNo);
        o.put("out_trade_no", t.outTradeNo);
        o.put("method", t.method);
        o.put("product_code", t.productCode);
        o.put("total_amount", t.totalAmount.toPlainString());
        o.put("subject", t.subject);
        o.put("body", t.body);
        o.put("app_id", t.appId);
        o.put("seller_id", t.sellerId);
        o.put("notify_url", t.notifyUrl);
        o.put("return_url", t.returnUrl);
        o.put("charset", t.charset);
        o.put("passback_params", t.passbackParams);
        o.put("store_id", t.storeId);
        o.put("operator_id", t.operatorId);
        o.put("terminal_id", t.terminalId);
        o.put("gmt_create", instant(t.gmtCreate));
        o.put("expires_at", instant(t.expiresAt));
        o.put("cashier_token", t.cashierToken);
        o.put("status", t.status.name());
        o.put("known", t.known);
        o.put("buyer_user_id", t.buyer == null ? null : t.buyer.userId());
        o.put("buyer_logon_id", t.buyer == null ? null : t.buyer.logonId());
        o.put("gmt_payment", instant(t.gmtPayment));
        o.put("gmt_close", instant(t.gmtClose));
        ArrayNode refunds = o.putArray("refunds");
        for (Refund r : t.refunds.values()) {
            ObjectNode n = refunds.addObject();
            n.put("out_request_no", r.outRequestNo());
            n.put("amount", r.amount().toPlainString());
            n.put("reason", r.reason());
            n.put("at", instant(r.at()));
            n.put("explicit_request_no", r.explicitRequestNo());
        }
        return o.toString();
    }

    static Trade parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            JsonNode o = JSON.readTree(line);
            if (!StateFile.channel(o).equals(StateFile.ALIPAY)) {
                return null;
            }
            Trade.Builder b = new Trade.Builder();
            b.tradeNo = o.get("trade_no").asText();
            b.outTradeNo = o.get("out_trade_no").asText();
            b.method = text(o, "method");
            b.productCode = text(o, "product_code");
            b.totalAmount = new BigDecimal(o.get("total_amount").asText());
            b.subject = text(o, "subject");
            b.body = text(o, "body");
            b.appId = text(o, "app_id");
            b.sellerId = text(o, "seller_id");
            b.notifyUrl = text(o, "notify_url");
            b.returnUrl = text(o, "return_url");
            b.charset = text(o, "charset");
            b.passbackParams = text(o, "passback_params");
            b.storeId = text(o, "store_id");
            b.operatorId = text(o, "operator_id");
            b.terminalId = text(o, "terminal_id");
            b.gmtCreate = instant(o, "gmt_create");
            b.expiresAt = instant(o, "expires_at");
            b.cashierToken = text(o, "cashier_token");
            b.known = o.get("known").asBoolean();
            Trade t = new Trade(b);
            t.status = TradeStatus.valueOf(o.get("status").asText());
            String buyerId = text(o, "buyer_user_id");
            t.buyer = buyerId == null ? null : new Buyer(buyerId, text(o, "buyer_logon_id"));
            t.gmtPayment = instant(o, "gmt_payment");
            t.gmtClose = instant(o, "gmt_close");
            for (JsonNode r : o.path("refunds")) {
                Refund refund = new Refund(
                        r.get("out_request_no").asText(),
                        new BigDecimal(r.get("amount").asText()),
                        text(r, "reason"),
                        instant(r, "at"),
                        r.get("explicit_request_no").asBoolean());
                t.refunds.put(refund.outRequestNo(), refund);
            }
            return t;
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }
}
