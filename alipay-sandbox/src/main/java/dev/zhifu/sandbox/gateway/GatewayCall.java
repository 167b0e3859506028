package dev.zhifu.sandbox.gateway;

import java.nio.charset.Charset;
import java.util.Map;

/**
 * A verified gateway call: the merged, decoded parameters and what the answer depends on.
 *
 * @param charsetName the {@code charset} parameter as sent ({@code UTF-8}, {@code utf-8}, {@code GBK}...)
 * @param certMode    the request carried {@code app_cert_sn}: answers carry {@code alipay_cert_sn}
 * @param origin      {@code scheme://host:port} the caller reached us at, for links we hand out
 * @param acceptLanguage the caller's Accept-Language header: a page pay refused is shown in that language
 */
public record GatewayCall(
        String method,
        Map<String, String> params,
        String charsetName,
        Charset charset,
        boolean certMode,
        boolean encrypted,
        String origin,
        String basePath,
        String acceptLanguage) {

    public String param(String name) {
        return params.get(name);
    }

    /** Absolute URL of a sandbox page, e.g. {@code area("/cashier/x")} → {@code http://h:p/sandbox/cashier/x}. */
    public String areaUrl(String path) {
        return origin + (basePath.isEmpty() ? "/sandbox" : basePath) + path;
    }
}
