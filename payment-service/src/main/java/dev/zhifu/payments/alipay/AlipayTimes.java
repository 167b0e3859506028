package dev.zhifu.payments.alipay;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Alipay's times: GMT+8 wall-clock times, in its parameters, notifications and bills. */
public final class AlipayTimes {

    /** Alipay's zone, which is also the day of its bills and of reconciliation. */
    public static final ZoneId ZONE = ZoneOffset.ofHours(8);

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private AlipayTimes() {}

    /** {@code yyyy-MM-dd HH:mm:ss} in GMT+8, as Alipay's {@code time_expire} takes it. */
    public static String format(Instant instant) {
        return FORMAT.format(instant.atZone(ZONE));
    }

    /** An Alipay wall-clock time (GMT+8) as an instant. */
    public static Instant toInstant(LocalDateTime alipayTime) {
        return alipayTime == null ? null : alipayTime.atZone(ZONE).toInstant();
    }
}
