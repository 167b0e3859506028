package dev.zhifu.sandbox.cashier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zhifu.alipay.crypto.SignContent;
import dev.zhifu.alipay.crypto.SignType;
import dev.zhifu.sandbox.gateway.AlipayError;
import dev.zhifu.sandbox.gateway.AlipaySigning;
import dev.zhifu.sandbox.gateway.ApiResult;
import dev.zhifu.sandbox.gateway.BizContent;
import dev.zhifu.sandbox.gateway.Gateway;
import dev.zhifu.sandbox.gateway.GatewayCall;
import dev.zhifu.sandbox.http.FormCodec;
import dev.zhifu.sandbox.http.SandboxRequest;
import dev.zhifu.sandbox.http.SandboxResponse;
import dev.zhifu.sandbox.time.AlipayTime;
import dev.zhifu.sandbox.trade.Money;
import dev.zhifu.sandbox.trade.Trade;
import dev.zhifu.sandbox.trade.TradeDesk;
import dev.zhifu.sandbox.trade.TradeStatus;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The buyer's side: the cashier page of page / wap pay (docs/alipay-protocol.md#s5.1, #s10), the scan page behind a precreate QR
 * code, and the app-pay endpoint that takes an order string (docs/alipay-protocol.md#s5.2).
 */
public final class Cashier {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TradeDesk desk;
    private final AlipaySigning signing;
    private final Clock clock;
    private final String sellerName;
    private Gateway gateway;

    public Cashier(TradeDesk desk, AlipaySigning signing, Clock clock, String sellerName) {
        this.desk = desk;
        this.signing = signing;
        this.clock = clock;
        this.sellerName = sellerName;
    }

    public void attach(Gateway gateway) {
        this.gateway = gateway;
    }

    /** A verified page / wap pay request: the trade is opened and the browser sent to its cashier page. */
    public SandboxResponse browserPay(GatewayCall call, BizContent biz) {
        Trade trade = desk.openCashierTrade(biz, call);
        if (call.method().equals("alipay.trade.wap.pay")) {
            biz.optional("quit_url", 400);
        }
        return SandboxResponse.redirect(call.areaUrl("/cashier/" + trade.cashierToken()));
    }

    /** A page / wap pay request refused: the buyer's browser shows why (Alipay's own words stay as they are). */
    public SandboxResponse browserError(GatewayCall call, ApiResult error) {
        return errorPage(CashierText.of(call.acceptLanguage()), error);
    }

    private static SandboxResponse errorPage(CashierText text, ApiResult error) {
        Map<String, Object> f = error.fields();
        return SandboxResponse.html(
                200,
                page(
                        text,
                        text.get("error.title"),
                        "<div class=\"card error\"><h1>"
                                + Html.escape(text.get("error.headline")) + "</h1>"
                                + "<p>" + Html.escape(text.get("error.code")) + " <code id=\"sub-code\">"
                                + Html.escape(String.valueOf(f.get("sub_code"))) + "</code></p>"
                                + "<p id=\"sub-msg\">" + Html.escape(String.valueOf(f.get("sub_msg"))) + "</p>"
                                + "<p class=\"small\">" + Html.escape(f.get("code") + " " + f.get("msg"))
                                + "</p></div>",
                        null));
    }

    /** Routes {@code /cashier/...}, {@code /qr/...} and {@code /app/pay} below the sandbox area. */
    public SandboxResponse handle(SandboxRequest request, String subPath, String areaUrl) {
        String[] parts = subPath.split("/");
        CashierText text = CashierText.of(request);
        // parts[0] is "" (leading slash)
        if (parts.length >= 3 && parts[1].equals("cashier")) {
            Trade trade = desk.byCashierToken(parts[2]);
            if (trade == null) {
                return SandboxResponse.html(
                        404,
                        page(
                                text,
                                text.get("sandbox.title"),
                                "<div class=\"card error\"><h1>" + Html.escape(text.get("error.no_trade"))
                                        + "</h1></div>",
                                null));
            }
            if (parts.length == 3 && request.method().equals("GET")) {
                desk.scan(trade.outTradeNo()); // the buyer opened the cashier: Alipay now knows the trade
                return cashierPage(text, trade, areaUrl, areaUrl + "/cashier/" + trade.cashierToken());
            }
            if (parts.length == 4 && parts[3].equals("qr.png")) {
                return SandboxResponse.of(200, "image/png", QrCodes.png(areaUrl + "/qr/" + trade.cashierToken(), 220));
            }
            if (parts.length == 4 && parts[3].equals("pay") && request.method().equals("POST")) {
                return pay(text, trade, areaUrl);
            }
        }
        if (parts.length == 3 && parts[1].equals("qr") && request.method().equals("GET")) {
            Trade trade = desk.byCashierToken(parts[2]);
            if (trade == null) {
                return SandboxResponse.html(
                        404,
                        page(
                                text,
                                text.get("sandbox.title"),
                                "<div class=\"card error\"><h1>" + Html.escape(text.get("error.no_qr")) + "</h1></div>",
                                null));
            }
            desk.scan(trade.outTradeNo()); // scanning makes a precreate trade exist (docs/alipay-protocol.md#s11.1)
            return cashierPage(text, trade, areaUrl, areaUrl + "/qr/" + trade.cashierToken());
        }
        if (parts.length == 3
                && parts[1].equals("app")
                && parts[2].equals("pay")
                && request.method().equals("POST")) {
            return appPay(request);
        }
        return null;
    }

    /** The trade, and a pay button while it waits; {@code self} is this page's address, for the language links. */
    private SandboxResponse cashierPage(CashierText text, Trade trade, String areaUrl, String self) {
        String amount = Money.format(trade.totalAmount());
        String trading = areaUrl + "/cashier/" + trade.cashierToken();
        StringBuilder html = new StringBuilder();
        html.append("<div class=\"card\"><div class=\"brand\">")
                .append(Html.escape(text.get("cashier.brand")))
                .append("</div>")
                .append(label(text, "cashier.payee"))
                .append("<p id=\"merchant\">")
                .append(Html.escape(sellerName))
                .append("</p>")
                .append(label(text, "cashier.subject"))
                .append("<p id=\"subject\">")
                .append(Html.escape(trade.subject()))
                .append("</p>")
                .append(label(text, "cashier.out_trade_no"))
                .append("<p id=\"out-trade-no\">")
                .append(Html.escape(trade.outTradeNo()))
                .append("</p>")
                .append("<p class=\"amount\">¥ <span id=\"amount\">")
                .append(Html.escape(amount))
                .append("</span></p>")
                .append("<img id=\"qr\" alt=\"")
                .append(Html.escape(text.get("cashier.qr")))
                .append("\" width=\"220\" height=\"220\" src=\"")
                .append(Html.escape(trading + "/qr.png"))
                .append("\">");
        if (trade.status() == TradeStatus.WAIT_BUYER_PAY) {
            html.append("<form method=\"post\" action=\"")
                    .append(Html.escape(trading + "/pay?lang=" + text.lang()))
                    .append("\">")
                    .append("<button id=\"pay\" type=\"submit\">")
                    .append(Html.escape(text.get("cashier.pay", amount)))
                    .append("</button></form>");
        } else {
            html.append("<p id=\"status\" class=\"status\">")
                    .append(Html.escape(text.get(trade.paid() ? "cashier.paid" : "cashier.closed")))
                    .append(" (")
                    .append(trade.status())
                    .append(")</p>");
            html.append(backToMerchant(text, trade));
        }
        html.append("<p class=\"small\">")
                .append(Html.escape(text.get("cashier.sandbox")))
                .append("</p></div>");
        return SandboxResponse.html(200, page(text, text.get("cashier.title"), html.toString(), self));
    }

    private static String label(CashierText text, String key) {
        return "<p class=\"label\">" + Html.escape(text.get(key)) + "</p>";
    }

    /**
     * After paying, the way back: to the merchant's return_url (signed, as Alipay sends the browser there) when the
     * trade has one, else a note that the page may be closed (a QR code is paid on the buyer's phone, and the
     * merchant's page learns it from the notification).
     */
    private String backToMerchant(CashierText text, Trade trade) {
        if (trade.paid() && trade.returnUrl() != null && !trade.method().equals("alipay.trade.precreate")) {
            return "<p><a class=\"button\" id=\"back\" href=\"" + Html.escape(returnUrl(trade)) + "\">"
                    + Html.escape(text.get("cashier.back")) + "</a></p>";
        }
        return trade.paid()
                ? "<p class=\"small\" id=\"done-hint\">" + Html.escape(text.get("cashier.done_hint")) + "</p>"
                : "";
    }

    private SandboxResponse pay(CashierText text, Trade trade, String areaUrl) {
        Trade paid;
        try {
            paid = desk.buyerPays(trade.outTradeNo());
        } catch (AlipayError e) {
            return errorPage(text, e.result());
        }
        if (paid.returnUrl() == null || paid.method().equals("alipay.trade.precreate")) {
            String trading = areaUrl + "/cashier/" + paid.cashierToken();
            return SandboxResponse.html(
                    200,
                    page(
                            text,
                            text.get("paid.title"),
                            "<div class=\"card\"><h1 id=\"paid\">"
                                    + Html.escape(text.get("paid.title")) + "</h1><p>" + Html.escape(paid.subject())
                                    + " ¥"
                                    + Money.format(paid.totalAmount()) + "</p>" + backToMerchant(text, paid)
                                    + "<p><a class=\"button\" id=\"done\" href=\""
                                    + Html.escape(trading + "?lang=" + text.lang()) + "\">"
                                    + Html.escape(text.get("paid.done")) + "</a></p></div>",
                            trading));
        }
        return SandboxResponse.redirect(returnUrl(paid));
    }

    /** The return_url with Alipay's signed synchronous parameters appended (docs/alipay-protocol.md#s10). */
    String returnUrl(Trade trade) {
        String charsetName = trade.charset() == null ? "UTF-8" : trade.charset();
        Charset charset = Charset.forName(charsetName);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("charset", charsetName);
        p.put("out_trade_no", trade.outTradeNo());
        p.put("method", trade.method() + ".return");
        p.put("total_amount", Money.format(trade.totalAmount()));
        p.put("trade_no", trade.tradeNo());
        p.put("auth_app_id", trade.appId());
        p.put("version", "1.0");
        p.put("app_id", trade.appId());
        p.put("sign_type", "RSA2");
        p.put("seller_id", trade.sellerId());
        p.put("timestamp", AlipayTime.format(clock.instant()));
        String sign = signing.sign(SignContent.ofNotification(p), charset, SignType.RSA2);
        Map<String, String> ordered = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            ordered.put(k, v);
            if (k.equals("total_amount")) {
                ordered.put("sign", sign);
            }
        });
        String base = trade.returnUrl();
        int hash = base.indexOf('#');
        String fragment = hash < 0 ? "" : base.substring(hash);
        base = hash < 0 ? base : base.substring(0, hash);
        return base + (base.contains("?") ? "&" : "?") + FormCodec.encode(ordered, charset) + fragment;
    }

    /**
     * {@code POST /sandbox/app/pay}: the body is an order string as {@code sdkExecute} makes it; the trade is
     * created and paid by the simulated buyer, and the answer is what the Alipay app hands back
     * ({@code resultStatus}, {@code result}, {@code memo}). With {@code ?pay=false} the buyer leaves
     * ({@code 6001}) and the trade waits.
     */
    private SandboxResponse appPay(SandboxRequest request) {
        String orderString = new String(request.body(), StandardCharsets.ISO_8859_1).trim();
        if (orderString.startsWith("order_string=")) {
            orderString = FormCodec.decodeComponent(
                    orderString.substring("order_string=".length()), StandardCharsets.ISO_8859_1);
        }
        String charsetName = FormCodec.peek(orderString, "charset");
        Charset charset;
        try {
            charset = charsetName == null ? StandardCharsets.UTF_8 : Charset.forName(charsetName);
            if (!charset.canEncode()) {
                throw new IllegalArgumentException("decode-only charset " + charsetName); // as the gateway refuses it
            }
        } catch (IllegalArgumentException e) {
            return appResult("4000", "", "无效的字符集：" + charsetName);
        }
        Map<String, String> params = FormCodec.decode(orderString, charset);
        boolean buyerPays = !"pay=false".equals(request.rawQuery());
        GatewayCall call = new GatewayCall(
                params.get("method"),
                Map.copyOf(params),
                charsetName == null ? "UTF-8" : charsetName,
                charset,
                !SignContent.isBlank(params.get("app_cert_sn")),
                false,
                request.origin(),
                "",
                request.header("accept-language"));
        try {
            if (!"alipay.trade.app.pay".equals(call.method())) {
                throw AlipayError.of("40002", "isv.invalid-method", "order string 的 method 必须是 alipay.trade.app.pay");
            }
            String biz = gateway.checkCommonParameters(call, SignType.fromWire(params.get("sign_type")));
            Trade trade = desk.openCashierTrade(BizContent.parse(biz), call);
            if (!buyerPays) {
                return appResult("6001", "", "用户中途取消");
            }
            trade = desk.buyerPays(trade.outTradeNo());
            Map<String, String> node = new LinkedHashMap<>();
            node.put("code", "10000");
            node.put("msg", "Success");
            node.put("app_id", trade.appId());
            node.put("auth_app_id", trade.appId());
            node.put("charset", call.charsetName());
            node.put("timestamp", AlipayTime.format(clock.instant()));
            node.put("out_trade_no", trade.outTradeNo());
            node.put("total_amount", Money.format(trade.totalAmount()));
            node.put("trade_no", trade.tradeNo());
            node.put("seller_id", trade.sellerId());
            String nodeText = JSON.writeValueAsString(node);
            String result = "{\"alipay_trade_app_pay_response\":" + nodeText + ",\"sign\":\""
                    + signing.sign(nodeText, charset, SignType.RSA2) + "\",\"sign_type\":\"RSA2\"}";
            return appResult("9000", result, "");
        } catch (AlipayError e) {
            return appResult(
                    "4000",
                    "",
                    e.result().subCode() + ": " + e.result().fields().get("sub_msg"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SandboxResponse appResult(String status, String result, String memo) {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("resultStatus", status);
        answer.put("result", result);
        answer.put("memo", memo);
        try {
            return SandboxResponse.json(200, JSON.writeValueAsString(answer));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A whole page; {@code self}, when given, gets links to itself in each language. */
    static String page(CashierText text, String title, String content, String self) {
        StringBuilder languages = new StringBuilder();
        if (self != null) {
            languages.append("<p class=\"languages\">");
            for (java.util.Locale locale : CashierText.SUPPORTED) {
                CashierText other = CashierText.of(locale.toLanguageTag());
                languages
                        .append("<a lang=\"")
                        .append(other.htmlLang())
                        .append("\" id=\"lang-")
                        .append(other.lang())
                        .append("\" href=\"")
                        .append(Html.escape(self + "?lang=" + other.lang()))
                        .append("\">")
                        .append(Html.escape(other.get("lang.name")))
                        .append("</a>");
            }
            languages.append("</p>");
        }
        return "<!DOCTYPE html><html lang=\"" + text.htmlLang() + "\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + Html.escape(title)
                + "</title><style>body{font-family:sans-serif;background:#f5f5f5;margin:0;padding:24px}"
                + ".card{max-width:420px;margin:0 auto;background:#fff;border-radius:8px;padding:24px;text-align:center;"
                + "box-shadow:0 1px 4px rgba(0,0,0,.1)}.brand{color:#1677ff;font-weight:bold;margin-bottom:16px}"
                + ".label{color:#888;font-size:12px;margin:8px 0 0}.amount{font-size:32px;margin:16px 0}"
                + "button,a.button{display:inline-block;background:#1677ff;color:#fff;border:0;border-radius:4px;"
                + "font-size:18px;padding:12px 32px;cursor:pointer;margin-top:16px;text-decoration:none}"
                + ".small{color:#999;font-size:12px}.error h1{color:#d4380d}"
                + ".languages{text-align:center;font-size:13px}.languages a{margin:0 8px;color:#1677ff}</style>"
                + "</head><body>" + content + languages + "</body></html>";
    }
}
