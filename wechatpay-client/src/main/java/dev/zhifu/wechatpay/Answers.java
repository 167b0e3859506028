package dev.zhifu.wechatpay;

import dev.zhifu.wechatpay.payments.Refund;
import dev.zhifu.wechatpay.payments.Transaction;
import java.math.BigDecimal;
import java.util.Map;

/** WeChat Pay's JSON, already verified, into this client's types; fen become yuan. */
final class Answers {

    private Answers() {}

    static Transaction transaction(Map<String, Object> json) {
        Map<String, Object> amount = Fields.optionalObject(json, "amount");
        Map<String, Object> payer = Fields.optionalObject(json, "payer");
        return new Transaction(
                Fields.optionalText(json, "appid"),
                Fields.text(json, "mchid"),
                Fields.text(json, "out_trade_no"),
                Fields.optionalText(json, "transaction_id"),
                Fields.optionalText(json, "trade_type"),
                Fields.text(json, "trade_state"),
                Fields.optionalText(json, "trade_state_desc"),
                Fields.optionalText(json, "bank_type"),
                Fields.optionalText(json, "attach"),
                Fields.optionalText(json, "success_time"),
                Fields.optionalText(payer, "openid"),
                yuan(Fields.optionalFen(amount, "total")),
                yuan(Fields.optionalFen(amount, "payer_total")),
                Fields.optionalText(amount, "currency"));
    }

    /** A refund from the create or query API ({@code status}) or a notification ({@code refund_status}). */
    static Refund refund(Map<String, Object> json) {
        Map<String, Object> amount = Fields.object(json, "amount");
        String status =
                json.containsKey("refund_status") ? Fields.text(json, "refund_status") : Fields.text(json, "status");
        return new Refund(
                Fields.text(json, "refund_id"),
                Fields.text(json, "out_refund_no"),
                Fields.optionalText(json, "transaction_id"),
                Fields.optionalText(json, "out_trade_no"),
                Fields.optionalText(json, "channel"),
                Fields.optionalText(json, "user_received_account"),
                Fields.optionalText(json, "success_time"),
                status,
                yuan(Fields.fen(amount, "refund")),
                yuan(Fields.fen(amount, "total")),
                yuan(Fields.optionalFen(amount, "payer_refund")));
    }

    private static BigDecimal yuan(Long fen) {
        return fen == null ? null : Fen.toYuan(fen);
    }
}
