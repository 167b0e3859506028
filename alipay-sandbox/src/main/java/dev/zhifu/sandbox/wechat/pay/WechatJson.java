package dev.zhifu.sandbox.wechat.pay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON shapes WeChat Pay answers and notifies with, built from a trade under the book's lock. */
public final class WechatJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private WechatJson() {}

    /** A query answer, and the decrypted resource of {@code TRANSACTION.SUCCESS}. */
    public static ObjectNode transaction(WechatTrade t) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("appid", t.appid());
        o.put("mchid", t.mchid());
        o.put("out_trade_no", t.outTradeNo());
        if (t.transactionId() != null) { // an unpaid order has no WeChat Pay order number yet
            o.put("transaction_id", t.transactionId());
        }
        o.put("trade_type", t.type().name());
        o.put("trade_state", t.state().name());
        o.put("trade_state_desc", t.state().description());
        if (t.successTime() != null) {
            o.put("bank_type", "OTHERS");
            o.put("success_time", WechatTime.format(t.successTime()));
        }
        o.put("attach", t.attach() == null ? "" : t.attach());
        if (t.payerOpenid() != null) {
            o.putObject("payer").put("openid", t.payerOpenid());
        }
        ObjectNode amount = o.putObject("amount");
        amount.put("total", t.totalFen());
        if (t.successTime() != null) {
            amount.put("payer_total", t.totalFen());
        }
        amount.put("currency", t.currency());
        amount.put("payer_currency", t.currency());
        return o;
    }

    /** A refund answer (create and query). */
    public static ObjectNode refund(WechatTrade t, WechatRefund r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("refund_id", r.refundId());
        o.put("out_refund_no", r.outRefundNo());
        o.put("transaction_id", t.transactionId());
        o.put("out_trade_no", t.outTradeNo());
        o.put("channel", "ORIGINAL");
        o.put("user_received_account", "支付用户零钱");
        if (r.succeededAt() != null) {
            o.put("success_time", WechatTime.format(r.succeededAt()));
        }
        o.put("create_time", WechatTime.format(r.createdAt()));
        o.put("status", r.status());
        o.put("funds_account", "AVAILABLE");
        o.set("amount", refundAmount(t, r));
        return o;
    }

    /** The decrypted resource of {@code REFUND.SUCCESS}: flatter than the query answer. */
    public static ObjectNode refundNotice(WechatTrade t, WechatRefund r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("mchid", t.mchid());
        o.put("out_trade_no", t.outTradeNo());
        o.put("transaction_id", t.transactionId());
        o.put("out_refund_no", r.outRefundNo());
        o.put("refund_id", r.refundId());
        o.put("refund_status", r.status());
        o.put("success_time", WechatTime.format(r.succeededAt()));
        o.put("user_received_account", "支付用户零钱");
        ObjectNode amount = o.putObject("amount");
        amount.put("total", t.totalFen());
        amount.put("refund", r.refundFen());
        amount.put("payer_total", t.totalFen());
        amount.put("payer_refund", r.refundFen());
        return o;
    }

    private static ObjectNode refundAmount(WechatTrade t, WechatRefund r) {
        ObjectNode amount = MAPPER.createObjectNode();
        amount.put("total", t.totalFen());
        amount.put("refund", r.refundFen());
        amount.put("payer_total", t.totalFen());
        amount.put("payer_refund", r.refundFen());
        amount.put("settlement_total", t.totalFen());
        amount.put("settlement_refund", r.refundFen());
        amount.put("discount_refund", 0);
        amount.put("currency", t.currency());
        amount.put("refund_fee", 0);
        return amount;
    }
}
