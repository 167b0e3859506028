package dev.zhifu.payments.wechatpay;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** WeChat Pay writes times as RFC 3339 with an offset, e.g. {@code 2026-12-07T10:15:30+08:00}. */
public final class WechatPayTimes {

    private WechatPayTimes() {}

    /** @return null for null or text that is not such a time (the caller then uses its own clock) */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
