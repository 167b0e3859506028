package dev.zhifu.sandbox.time;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/** Alipay's wall clock: {@code yyyy-MM-dd HH:mm:ss} in GMT+8, a fixed offset without DST (docs/alipay-protocol.md#s3). */
public final class AlipayTime {

    public static final ZoneOffset ZONE = ZoneOffset.ofHours(8);
    public static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");

    private AlipayTime() {}

    public static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant.atOffset(ZONE));
    }

    /** {@code gmt_refund} carries milliseconds (docs/alipay-protocol.md#s9.2). */
    public static String formatMillis(Instant instant) {
        return MILLIS.format(instant.atOffset(ZONE));
    }

    /** Parses {@code yyyy-MM-dd HH:mm:ss}; {@code null} when the text is not exactly that. */
    public static Instant parse(String text) {
        if (text == null || text.length() != 19) {
            return null;
        }
        try {
            return LocalDateTime.parse(text, FORMAT).toInstant(ZONE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
