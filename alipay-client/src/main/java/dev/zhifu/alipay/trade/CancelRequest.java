package dev.zhifu.alipay.trade;

import dev.zhifu.alipay.AlipayRequest;
import dev.zhifu.alipay.AlipayResponse;
import java.util.Map;

/**
 * {@code alipay.trade.cancel}: reverses a face-to-face trade, closing it when unpaid and refunding it in full
 * when paid (docs/alipay-protocol.md#s11.9). Repeatable; {@link Response#retryFlag()} asks for another try.
 */
public record CancelRequest(TradeRef trade) implements AlipayRequest<CancelRequest.Response> {

    /** @param action {@code close} or {@code refund}; null when the trade was never created */
    public record Response(String tradeNo, String outTradeNo, boolean retryFlag, String action, AlipayResponse raw) {}

    public static CancelRequest of(TradeRef trade) {
        return new CancelRequest(trade);
    }

    @Override
    public String method() {
        return "alipay.trade.cancel";
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
                "Y".equals(r.string("retry_flag")),
                r.string("action"),
                r);
    }
}
