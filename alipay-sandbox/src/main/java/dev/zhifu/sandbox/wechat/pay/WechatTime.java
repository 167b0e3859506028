package dev.zhifu.sandbox.wechat.pay;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** WeChat Pay writes times as RFC 3339 in Beijing time, to the second: {@code 2024-06-01T12:00:00+08:00}. */
public final class WechatTime {

    public static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private WechatTime() {}

    public static String format(Instant instant) {
        return instant == null
                ? null
                : RFC3339.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(BEIJING));
    }
}
