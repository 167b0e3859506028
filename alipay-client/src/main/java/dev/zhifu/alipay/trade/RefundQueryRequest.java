package dev.zhifu.alipay.trade;

import dev.zhifu.alipay.AlipayRequest;
import dev.zhifu.alipay.AlipayResponse;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/**
 * {@code alipay.trade.fastpay.refund.query} (docs/alipay-protocol.md#s11.11). Repeatable. A refund is done only when
 * {@link Response#isRefunded()}; an answer without {@code refund_status} means not received or not successful.
 */
public record RefundQueryRequest(TradeRef trade, String outRequestNo)
        implements AlipayRequest<RefundQueryRequest.Response> {

    public record Response(
            String tradeNo,
            String outTradeNo,
            String outRequestNo,
            BigDecimal totalAmount,
            BigDecimal refundAmount,
            String refundStatus,
            LocalDateTime gmtRefundPay,
            AlipayResponse raw) {
        public boolean isRefunded() {
            return "REFUND_SUCCESS".equals(refundStatus);
        }
    }

    public static RefundQueryRequest of(TradeRef trade, String outRequestNo) {
        return new RefundQueryRequest(trade, outRequestNo);
    }

    @Override
    public String method() {
        return "alipay.trade.fastpay.refund.query";
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public void validate() {
        Biz.outNo(outRequestNo, "out_request_no");
    }

    @Override
    public Map<String, Object> bizContent() {
        return trade.into(Biz.of())
                .put("out_request_no", outRequestNo)
                .put("query_options", List.of("gmt_refund_pay"))
                .map();
    }

    @Override
    public Response read(AlipayResponse r) {
        return new Response(
                r.string("trade_no"),
                r.string("out_trade_no"),
                r.string("out_request_no"),
                r.decimal("total_amount"),
                r.decimal("refund_amount"),
                r.string("refund_status"),
                Responses.time(r, "gmt_refund_pay"),
                r);
    }
}
