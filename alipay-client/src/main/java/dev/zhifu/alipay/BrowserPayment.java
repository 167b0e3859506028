package dev.zhifu.alipay;

/**
 * What the merchant hands to the buyer's browser for page and wap pay, both made from one signature
 * (docs/alipay-protocol.md#s5.1).
 *
 * @param url  the GET redirect URL: gateway plus every parameter, sorted and URL-encoded
 * @param form the auto-submitting POST form, byte-identical to the official SDK's {@code pageExecute}
 */
public record BrowserPayment(String url, String form) {
}
