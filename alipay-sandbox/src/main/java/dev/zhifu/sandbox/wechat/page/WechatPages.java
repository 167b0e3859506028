package dev.zhifu.sandbox.wechat.page;

import dev.zhifu.sandbox.cashier.Html;
import dev.zhifu.sandbox.http.FormCodec;
import dev.zhifu.sandbox.http.SandboxRequest;
import dev.zhifu.sandbox.http.SandboxResponse;
import dev.zhifu.sandbox.wechat.WechatPayError;
import dev.zhifu.sandbox.wechat.auth.RequestPaymentCheck;
import dev.zhifu.sandbox.wechat.pay.TradeBook;
import dev.zhifu.sandbox.wechat.pay.TradeState;
import dev.zhifu.sandbox.wechat.pay.WechatTrade;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The buyer's side of WeChat Pay, below {@code /sandbox/wechat/}: the page a Native {@code code_url} opens when the
 * phone scans it ({@code qr/{prepay_id}}), the H5 cashier ({@code h5?prepay_id=}), and a page standing in for the
 * WeChat browser that pays a JSAPI {@code prepay_id} ({@code jsapi?prepay_id=}, or with the signed parameters of
 * {@code getBrandWCPayRequest}: {@code jsapi?appId=&timeStamp=&nonceStr=&package=&signType=&paySign=}). Each has
 * one pay button.
 */
public final class WechatPages {

    private final TradeBook book;
    private final String mchid;
    private final String appid;
    private final RequestPaymentCheck requestPayment;

    public WechatPages(TradeBook book, String mchid, String appid, RequestPaymentCheck requestPayment) {
        this.book = book;
        this.mchid = mchid;
        this.appid = appid;
        this.requestPayment = requestPayment;
    }

    /** Answers a page below the sandbox area, or {@code null} when the path is not one of them. */
    public SandboxResponse handle(SandboxRequest request, String subPath, String areaUrl) {
        PageText text = PageText.of(request);
        Map<String, String> query = FormCodec.decode(request.rawQuery(), StandardCharsets.UTF_8);
        String[] parts = subPath.split("/");
        if (parts.length != 4 && parts.length != 3 || !parts[1].equals("wechat")) {
            return null;
        }
        String method = request.method();
        if (parts.length == 4 && parts[2].equals("qr") && method.equals("GET")) {
            try {
                book.scan(parts[3]);
            } catch (WechatPayError e) {
                // a paid or closed order still shows its page, with its state instead of a button
            }
            return orderPage(text, parts[3], "scan.title", areaUrl, null);
        }
        if (parts.length == 3 && parts[2].equals("jsapi") && method.equals("GET") && query.containsKey("paySign")) {
            return requestPaymentPage(text, query, areaUrl);
        }
        if (parts.length == 3 && (parts[2].equals("h5") || parts[2].equals("jsapi")) && method.equals("GET")) {
            String prepayId = query.get("prepay_id");
            return orderPage(text, prepayId, parts[2] + ".title", areaUrl, query.get("redirect_url"));
        }
        if (parts.length == 4 && parts[2].equals("pay") && method.equals("POST")) {
            try {
                book.buyerPays(parts[3]);
            } catch (WechatPayError e) {
                // paying twice, or a closed order: the page shows the order's state
            }
            return orderPage(text, parts[3], "paid", areaUrl, query.get("redirect_url"));
        }
        return null;
    }

    /**
     * The parameters a merchant's page passes to {@code WeixinJSBridge.invoke('getBrandWCPayRequest', …)}: the
     * WeChat browser refuses to show the order unless {@code paySign} verifies with the merchant's key.
     */
    private SandboxResponse requestPaymentPage(PageText text, Map<String, String> query, String areaUrl) {
        String packageValue = query.get("package");
        boolean valid = appid.equals(query.get("appId"))
                && packageValue != null
                && packageValue.startsWith("prepay_id=")
                && requestPayment.verifies(
                        query.get("appId"),
                        query.get("timeStamp"),
                        query.get("nonceStr"),
                        packageValue,
                        query.get("paySign"));
        if (!valid) {
            return SandboxResponse.html(
                    400,
                    page(
                            text,
                            text.get("jsapi.title"),
                            "<h1 id=\"error\">" + Html.escape(text.get("bad_sign")) + "</h1>"));
        }
        return orderPage(text, packageValue.substring("prepay_id=".length()), "jsapi.title", areaUrl, null);
    }

    private SandboxResponse orderPage(
            PageText text, String prepayId, String titleKey, String areaUrl, String redirectUrl) {
        String content = prepayId == null
                ? null
                : book.find(prepayId, t -> t.mchid().equals(mchid) ? card(text, t, areaUrl, redirectUrl) : null);
        if (content == null) {
            return SandboxResponse.html(
                    404,
                    page(text, text.get(titleKey), "<h1 id=\"error\">" + Html.escape(text.get("no_order")) + "</h1>"));
        }
        return SandboxResponse.html(200, page(text, text.get(titleKey), content));
    }

    private static String card(PageText text, WechatTrade t, String areaUrl, String redirectUrl) {
        StringBuilder html = new StringBuilder()
                .append(label(text, "payee"))
                .append("<p id=\"merchant\">")
                .append(Html.escape(t.mchid()))
                .append("</p>")
                .append(label(text, "description"))
                .append("<p id=\"description\">")
                .append(Html.escape(t.description()))
                .append("</p>")
                .append(label(text, "out_trade_no"))
                .append("<p id=\"out-trade-no\">")
                .append(Html.escape(t.outTradeNo()))
                .append("</p>")
                .append("<p class=\"amount\">¥ <span id=\"amount\">")
                .append(BigDecimal.valueOf(t.totalFen(), 2).toPlainString())
                .append("</span></p>");
        if (t.state() == TradeState.NOTPAY) {
            String action = areaUrl + "/wechat/pay/" + t.prepayId() + "?lang=" + text.lang()
                    + (redirectUrl == null
                            ? ""
                            : "&redirect_url=" + URLEncoder.encode(redirectUrl, StandardCharsets.UTF_8));
            html.append("<form method=\"post\" action=\"")
                    .append(Html.escape(action))
                    .append("\"><button id=\"pay\" type=\"submit\">")
                    .append(Html.escape(text.get("pay")))
                    .append("</button></form>");
        } else {
            html.append("<p id=\"status\">")
                    .append(Html.escape(text.get(t.state() == TradeState.CLOSED ? "closed" : "paid")))
                    .append(" (")
                    .append(t.state())
                    .append(")</p>");
            if (redirectUrl != null) { // H5: WeChat sends the buyer back to the merchant's redirect_url
                html.append("<a id=\"back\" class=\"button\" href=\"")
                        .append(Html.escape(redirectUrl))
                        .append("\">")
                        .append(Html.escape(text.get("back")))
                        .append("</a>");
            }
        }
        return html.toString();
    }

    private static String label(PageText text, String key) {
        return "<p class=\"label\">" + Html.escape(text.get(key)) + "</p>";
    }

    private static String page(PageText text, String title, String content) {
        return "<!DOCTYPE html><html lang=\"" + (text.lang().equals("en") ? "en" : "zh-CN")
                + "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + Html.escape(title) + "</title><style>body{font-family:sans-serif;background:#ededed;"
                + "margin:0;padding:24px}.card{max-width:420px;margin:0 auto;background:#fff;border-radius:8px;"
                + "padding:24px;text-align:center}.brand{color:#07c160;font-weight:bold;margin-bottom:16px}"
                + ".label{color:#888;font-size:12px;margin:8px 0 0}.amount{font-size:32px;margin:16px 0}"
                + "button,a.button{display:inline-block;background:#07c160;color:#fff;border:0;border-radius:4px;"
                + "padding:12px 32px;font-size:16px;text-decoration:none}.small{color:#aaa;font-size:12px}</style>"
                + "</head><body><div class=\"card\"><div class=\"brand\">" + Html.escape(text.get("brand")) + "</div>"
                + content + "<p class=\"small\">" + Html.escape(text.get("sandbox")) + "</p></div></body></html>";
    }
}
