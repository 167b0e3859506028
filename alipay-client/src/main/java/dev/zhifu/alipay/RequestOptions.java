package dev.zhifu.alipay;

import java.util.Map;

/**
 * Per-call extras beside the request itself.
 *
 * @param appAuthToken    {@code app_auth_token} when an ISV calls for a merchant (sent in the body, as the SDK does)
 * @param extraParams     further application parameters sent next to {@code biz_content} (signed)
 */
public record RequestOptions(String appAuthToken, Map<String, String> extraParams) {

    public static final RequestOptions NONE = new RequestOptions(null, Map.of());

    public RequestOptions {
        extraParams = extraParams == null
                ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extraParams));
    }

    public static RequestOptions appAuthToken(String token) {
        return new RequestOptions(token, Map.of());
    }
}
