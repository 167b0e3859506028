package dev.zhifu.payments.storage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Times are stored as UTC wall-clock values ({@code LocalDateTime}) so that no database or JVM time zone can
 * shift them. (Alipay's own GMT+8 times are in the alipay package: AlipayTimes.)
 */
public final class Times {

    private Times() {}

    public static LocalDateTime db(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }
}
