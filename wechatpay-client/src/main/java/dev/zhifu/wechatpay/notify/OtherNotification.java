package dev.zhifu.wechatpay.notify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A verified, decrypted notification of a kind this client does not type (profit sharing, complaints, …): the
 * envelope and the decrypted resource as JSON values (objects as maps, arrays as lists).
 */
public record OtherNotification(
        String id, String createTime, String eventType, String summary, Map<String, Object> resource)
        implements Notification {

    public OtherNotification {
        resource = Collections.unmodifiableMap(new LinkedHashMap<>(resource)); // JSON nulls kept: not Map.copyOf
    }
}
