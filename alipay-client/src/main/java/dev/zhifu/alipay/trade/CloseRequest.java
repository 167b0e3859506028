package dev.zhifu.alipay.trade;

import dev.zhifu.alipay.AlipayRequest;
import dev.zhifu.alipay.AlipayResponse;
import java.util.Map;

/** {@code alipay.trade.close}: closes an unpaid trade (docs/alipay-protocol.md#s11.8). Repeatable. */
public record CloseRequest(TradeRef trade, String operatorId) implements AlipayRequest<CloseRequest.Response> {

    public record Response(String tradeNo, String outTradeNo, AlipayResponse raw) {}

    public static CloseRequest of(TradeRef trade) {
        return new CloseRequest(trade, null);
    }

    @Override
    public String method() {
        return "alipay.trade.close";
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public Map<String, Object> bizContent() {
        return trade.into(Biz.of()).put("operator_id", operatorId).map();
    }

    @Override
    public Response read(AlipayResponse r) {
        return new Response(r.string("trade_no"), r.string("out_trade_no"), r);
    }
}
