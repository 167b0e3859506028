package dev.zhifu.sandbox.wechat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zhifu.sandbox.http.FormCodec;
import dev.zhifu.sandbox.http.SandboxRequest;
import dev.zhifu.sandbox.http.SandboxResponse;
import dev.zhifu.sandbox.wechat.pay.WechatJson;
import dev.zhifu.sandbox.wechat.pay.WechatTrade;
import java.nio.charset.StandardCharsets;

/**
 * The control API for WeChat Pay orders: the same paths as for Alipay trades, answered here when the
 * {@code out_trade_no} is a WeChat Pay order ({@code null} otherwise, so the Alipay side answers).
 */
public final class WechatControl {

    private final WechatPay wechat;

    public WechatControl(WechatPay wechat) {
        this.wechat = wechat;
    }

    public SandboxResponse handle(SandboxRequest request, String subPath) {
        String[] parts = subPath.split("/");
        if (parts.length >= 3 && parts[1].equals("trades")) {
            String outTradeNo = FormCodec.decodeComponent(parts[2], StandardCharsets.UTF_8);
            if (wechat.find(outTradeNo, WechatTrade::outTradeNo) == null) {
                return null;
            }
            if (parts.length == 3 && request.method().equals("GET")) {
                return json(200, wechat.find(outTradeNo, WechatControl::describe));
            }
            if (parts.length == 4 && request.method().equals("POST")) {
                try {
                    if (parts[3].equals("scan")) {
                        wechat.scan(outTradeNo);
                    } else if (parts[3].equals("pay")) {
                        wechat.buyerPays(outTradeNo);
                    } else {
                        return null;
                    }
                } catch (WechatPayError e) {
                    return error(409, e.code() + ": " + e.getMessage());
                }
                return json(200, wechat.find(outTradeNo, WechatControl::describe));
            }
            return null;
        }
        if (subPath.equals("/notifications") && request.method().equals("GET")) {
            String outTradeNo =
                    FormCodec.decode(request.rawQuery(), StandardCharsets.UTF_8).get("out_trade_no");
            if (outTradeNo == null || wechat.find(outTradeNo, WechatTrade::outTradeNo) == null) {
                return null;
            }
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.set("data", wechat.notifications(outTradeNo));
            return json(200, body);
        }
        return null;
    }

    /** The trade as WeChat Pay's query shows it, plus what a test wants to know beyond that. */
    private static ObjectNode describe(WechatTrade t) {
        ObjectNode o = WechatJson.transaction(t);
        o.put("channel", "wechatpay");
        o.put("prepay_id", t.prepayId());
        o.put("notify_url", t.notifyUrl());
        o.put("scanned", t.scanned());
        o.put("refunded_total", t.refundedFen());
        var refunds = o.putArray("refunds");
        t.refunds()
                .forEach(r -> refunds.addObject()
                        .put("out_refund_no", r.outRefundNo())
                        .put("refund", r.refundFen())
                        .put("status", r.status()));
        return o;
    }

    private static SandboxResponse json(int status, ObjectNode body) {
        return SandboxResponse.json(status, body.toString());
    }

    private static SandboxResponse error(int status, String message) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("error", message);
        return json(status, o);
    }
}
