package dev.zhifu.payments.support;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Times are stored as UTC wall-clock values ({@code LocalDateTime}) so that no database or JVM time zone can
 * shift them; Alipay's times are GMT+8 wall-clock times.
 */
public final class Times {

    public static final ZoneId ALIPAY_ZONE = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter ALIPAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Times() {
    }

    public static LocalDateTime db(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /** {@code yyyy-MM-dd HH:mm:ss} in GMT+8, as Alipay's {@code time_expire} takes it. */
    public static String alipay(Instant instant) {
        return ALIPAY.format(instant.atZone(ALIPAY_ZONE));
    }

    /** An Alipay wall-clock time (GMT+8) as an instant. */
    public static Instant fromAlipay(LocalDateTime alipayTime) {
        return alipayTime == null ? null : alipayTime.atZone(ALIPAY_ZONE).toInstant();
    }
}
