package dev.zhifu.alipay.trade;

import dev.zhifu.alipay.AlipayRequest;
import dev.zhifu.alipay.AlipayResponse;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.Map;

/**
 * {@code alipay.trade.query} (docs/alipay-protocol.md#s11.7). Repeatable. An unknown trade answers 40004
 * {@code ACQ.TRADE_NOT_EXIST}, e.g. a precreate QR code nobody has scanned yet.
 */
public record QueryRequest(TradeRef trade) implements AlipayRequest<QueryRequest.Response> {

    public record Response(
            String tradeNo,
            String outTradeNo,
            TradeStatus tradeStatus,
            BigDecimal totalAmount,
            BigDecimal receiptAmount,
            BigDecimal buyerPayAmount,
            String buyerLogonId,
            String buyerUserId,
            LocalDateTime sendPayDate,
            AlipayResponse raw) {}

    public static QueryRequest byOutTradeNo(String outTradeNo) {
        return new QueryRequest(TradeRef.outTradeNo(outTradeNo));
    }

    public static QueryRequest byTradeNo(String tradeNo) {
        return new QueryRequest(TradeRef.tradeNo(tradeNo));
    }

    @Override
    public String method() {
        return "alipay.trade.query";
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public Map<String, Object> bizContent() {
        return trade.into(Biz.of()).map();
    }

    @Override
    public Response read(AlipayResponse r) {
        return new Response(
                r.string("trade_no"),
                r.string("out_trade_no"),
                Responses.status(r),
                r.decimal("total_amount"),
                r.decimal("receipt_amount"),
                r.decimal("buyer_pay_amount"),
                r.string("buyer_logon_id"),
                r.string("buyer_user_id"),
                Responses.time(r, "send_pay_date"),
                r);
    }
}
