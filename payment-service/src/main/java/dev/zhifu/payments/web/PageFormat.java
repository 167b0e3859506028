package dev.zhifu.payments.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Formatting for the server-rendered pages ({@code ${@pageFormat.time(...)}} in templates): times in one zone,
 * Alipay's GMT+8 by default, because that is the day the merchant and Alipay's bills count in.
 */
public class PageFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ZoneId zone;

    public PageFormat(ZoneId zone) {
        this.zone = zone;
    }

    public ZoneId zone() {
        return zone;
    }

    public String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant.atZone(zone));
    }

    public String zoneLabel() {
        return zone.getId();
    }

    /**
     * The zone with its offset, e.g. {@code Asia/Shanghai, UTC+08:00}: the pages show times in it, while the API and
     * the logs use UTC, so every page says which one it uses.
     */
    public String zoneWithOffset() {
        String offset = zone.getRules().getOffset(Instant.now()).getId();
        return zone.getId() + ", UTC" + (offset.equals("Z") ? "" : offset);
    }

    /** A short age such as {@code 3m 20s} or {@code 2h 5m}. */
    public static String age(Duration d) {
        if (d == null) {
            return "";
        }
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        if (s < 86400) {
            return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        }
        return (s / 86400) + "d " + (s % 86400 / 3600) + "h";
    }
}
