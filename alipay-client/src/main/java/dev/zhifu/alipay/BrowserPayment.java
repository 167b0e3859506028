package dev.zhifu.alipay;

import java.util.Map;

/**
 * What the merchant hands to the buyer's browser for page and wap pay, both made from one signature
 * (docs/alipay-protocol.md#s5.1).
 *
 * @param url  the GET redirect URL: gateway plus every parameter, sorted and URL-encoded
 * @param form the auto-submitting POST form, byte-identical to the official SDK's {@code pageExecute}
 */
public record BrowserPayment(String url, String form) {

    /** Both forms of one signed request to {@code gateway}. */
    static BrowserPayment of(String gateway, WireRequest wire) {
        String url = gateway + "?" + wire.sortedEncoded();
        StringBuilder form = new StringBuilder(2048);
        // byte-identical to the SDK: only '"' is escaped in values, the action URL's '&' is left raw
        // (docs/alipay-protocol.md#s14.5)
        form.append("<form name=\"punchout_form\" method=\"post\" action=\"")
                .append(gateway)
                .append('?')
                .append(wire.query())
                .append("\">\n");
        for (Map.Entry<String, String> e : wire.applicationParams().entrySet()) {
            form.append("<input type=\"hidden\" name=\"")
                    .append(e.getKey())
                    .append("\" value=\"")
                    .append(e.getValue().replace("\"", "&quot;"))
                    .append("\">\n");
        }
        form.append("<input type=\"submit\" value=\"立即支付\" style=\"display:none\" >\n</form>\n")
                .append("<script>document.forms[0].submit();</script>");
        return new BrowserPayment(url, form.toString());
    }
}
