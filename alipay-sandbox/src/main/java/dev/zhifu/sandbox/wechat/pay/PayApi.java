package dev.zhifu.sandbox.wechat.pay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zhifu.sandbox.wechat.ApiAnswer;
import dev.zhifu.sandbox.wechat.WechatPayError;

/**
 * The order and refund APIs, after the gateway has checked the signature: prepay on the four paths, query by
 * {@code out_trade_no} or {@code transaction_id}, close, refund and refund query.
 */
public final class PayApi {

    private final String mchid;
    private final String appid;
    private final TradeBook book;
    private final PayLinks links;

    /** Where the buyer goes to pay: absolute links to the sandbox's own pages. */
    public interface PayLinks {
        String codeUrl(String origin, WechatTrade trade);

        String h5Url(String origin, WechatTrade trade);
    }

    public PayApi(String mchid, String appid, TradeBook book, PayLinks links) {
        this.mchid = mchid;
        this.appid = appid;
        this.book = book;
        this.links = links;
    }

    public ApiAnswer prepay(TradeType type, byte[] body, String origin) {
        JsonBody json = JsonBody.parse(body);
        String requestAppid = json.text("appid");
        String requestMchid = json.text("mchid");
        if (!mchid.equals(requestMchid) || !appid.equals(requestAppid)) {
            throw new WechatPayError(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
        }
        JsonBody amount = json.object("amount");
        String currency = amount.optionalText("currency");
        String openid = null;
        if (type == TradeType.JSAPI) {
            openid = json.object("payer").text("openid");
        }
        if (type == TradeType.MWEB) {
            json.object("scene_info").text("payer_client_ip");
        }
        OrderRequest request = new OrderRequest(
                requestMchid,
                requestAppid,
                outTradeNo(json.text("out_trade_no")),
                type,
                json.text("description"),
                amount.fen("total"),
                currency == null ? "CNY" : currency,
                json.optionalText("attach"),
                json.text("notify_url"),
                openid,
                timeExpire(json.optionalText("time_expire")));
        ObjectNode answer = book.place(request, trade -> {
            ObjectNode o = WechatJson.MAPPER.createObjectNode();
            switch (type) {
                case NATIVE -> o.put("code_url", links.codeUrl(origin, trade));
                case MWEB -> o.put("h5_url", links.h5Url(origin, trade));
                default -> o.put("prepay_id", trade.prepayId());
            }
            return o;
        });
        return ApiAnswer.ok(answer.toString());
    }

    /** {@code time_expire} is RFC 3339 with an offset, e.g. {@code 2026-12-07T10:34:56+08:00}. */
    private static java.time.Instant timeExpire(String value) {
        if (value == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw WechatPayError.param("time_expire 须为 RFC 3339 格式，例如 2026-12-07T10:34:56+08:00");
        }
    }

    /** WeChat Pay's rule for merchant order numbers: 6 to 32 letters, digits and {@code _-|*}. */
    private static String outTradeNo(String value) {
        if (!value.matches("[0-9A-Za-z_\\-|*]{6,32}")) {
            throw WechatPayError.param("out_trade_no 须为 6 至 32 位字母、数字或 _-|*");
        }
        return value;
    }

    public ApiAnswer queryByOutTradeNo(String outTradeNo, String queryMchid) {
        checkQueryMchid(queryMchid);
        return ApiAnswer.ok(
                book.byOutTradeNo(mchid, outTradeNo, WechatJson::transaction).toString());
    }

    public ApiAnswer queryByTransactionId(String transactionId, String queryMchid) {
        checkQueryMchid(queryMchid);
        return ApiAnswer.ok(book.byTransactionId(mchid, transactionId, WechatJson::transaction)
                .toString());
    }

    private void checkQueryMchid(String queryMchid) {
        if (queryMchid == null || queryMchid.isEmpty()) {
            throw WechatPayError.param("查询参数 mchid 必填");
        }
        if (!mchid.equals(queryMchid)) {
            throw new WechatPayError(400, "PARAM_ERROR", "mchid 与请求的商户号不一致");
        }
    }

    public ApiAnswer close(String outTradeNo, byte[] body) {
        JsonBody json = JsonBody.parse(body);
        checkQueryMchid(json.text("mchid"));
        book.close(mchid, outTradeNo);
        return ApiAnswer.noContent();
    }

    public ApiAnswer refund(byte[] body) {
        JsonBody json = JsonBody.parse(body);
        String outTradeNo = json.optionalText("out_trade_no");
        String transactionId = json.optionalText("transaction_id");
        if (outTradeNo == null && transactionId == null) {
            throw WechatPayError.param("transaction_id 和 out_trade_no 必须二选一");
        }
        JsonBody amount = json.object("amount");
        ObjectNode answer = book.refund(new TradeBook.RefundRequest(
                mchid,
                outTradeNo,
                transactionId,
                json.text("out_refund_no"),
                amount.fen("refund"),
                amount.fen("total"),
                json.optionalText("reason"),
                json.optionalText("notify_url")));
        return ApiAnswer.ok(answer.toString());
    }

    public ApiAnswer refundQuery(String outRefundNo) {
        return ApiAnswer.ok(book.refundByOutRefundNo(mchid, outRefundNo).toString());
    }
}
