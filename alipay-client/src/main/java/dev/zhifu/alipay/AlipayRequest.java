package dev.zhifu.alipay;

import java.util.Map;

/**
 * A gateway call that describes itself: which method, which {@code biz_content}, whether it may be repeated,
 * and how to read its verified answer.
 *
 * @param <R> the typed response
 */
public interface AlipayRequest<R> {

    /** API method, e.g. {@code alipay.trade.query}. */
    String method();

    /** The business parameters, in the order they are written into {@code biz_content}. */
    Map<String, Object> bizContent();

    /** The {@code biz_content} text; by default {@link #bizContent()} written as the official SDK writes JSON. */
    default String bizContentJson() {
        Map<String, Object> biz = bizContent();
        return biz == null || biz.isEmpty() ? null : Json.write(biz);
    }

    /** Per-request {@code notify_url}; null to use the client's default. */
    default String notifyUrl() {
        return null;
    }

    /** Per-request {@code return_url} (browser payments). */
    default String returnUrl() {
        return null;
    }

    /** Whether repeating the call can do no harm (no second charge); only then is it retried. */
    default boolean isRepeatable() {
        return false;
    }

    /** Checks fields before anything is signed or sent; throws {@link IllegalArgumentException} with a reason. */
    default void validate() {}

    /** Reads the typed response from a verified successful answer. */
    R read(AlipayResponse response);
}
