package dev.zhifu.alipay.trade;

import dev.zhifu.alipay.AlipayMalformedResponseException;
import dev.zhifu.alipay.AlipayResponse;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reading typed fields out of verified answers. */
final class Responses {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Responses() {}

    static String required(AlipayResponse r, String field) {
        String value = r.string(field);
        if (value == null || value.isEmpty()) {
            throw new AlipayMalformedResponseException(r.method(), "the answer lacks " + field);
        }
        return value;
    }

    /** Alipay times are GMT+8 wall-clock times; null when absent. */
    static LocalDateTime time(AlipayResponse r, String field) {
        String value = r.string(field);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(value.length() > 19 ? value.substring(0, 19) : value, TIME);
        } catch (DateTimeParseException e) {
            throw new AlipayMalformedResponseException(r.method(), field + " is not a time: " + value);
        }
    }

    static TradeStatus status(AlipayResponse r) {
        try {
            return TradeStatus.fromWire(r.string("trade_status"));
        } catch (IllegalArgumentException e) {
            throw new AlipayMalformedResponseException(r.method(), "unknown trade_status " + r.string("trade_status"));
        }
    }
}
