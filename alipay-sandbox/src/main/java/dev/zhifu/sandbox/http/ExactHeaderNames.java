package dev.zhifu.sandbox.http;

import com.sun.net.httpserver.Headers;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts response headers into the JDK server's {@link Headers} spelled as given. {@code Headers.set} rewrites
 * {@code Wechatpay-Timestamp} to {@code Wechatpay-timestamp}, and the official WeChat Pay SDK looks its headers up
 * case-sensitively. JDK 17's {@code putAll} stores names as given; later JDKs normalise there too, and then only
 * the map behind {@code Headers} keeps the spelling, reachable when the JVM runs with
 * {@code --add-opens jdk.httpserver/com.sun.net.httpserver=ALL-UNNAMED}. Without either, names are normalised
 * and a warning says so once.
 */
final class ExactHeaderNames {

    private enum Way {
        PUT_ALL,
        INNER_MAP,
        NORMALISED
    }

    private static final Field INNER_MAP = innerMap();
    private static final Way WAY = chooseWay();

    private ExactHeaderNames() {}

    static void put(Headers target, Map<String, String> headers) {
        Map<String, List<String>> exact = new HashMap<>();
        headers.forEach((k, v) -> exact.put(k, List.of(v)));
        if (WAY == Way.INNER_MAP) {
            innerMapOf(target).putAll(exact);
        } else {
            target.putAll(exact);
        }
    }

    private static Way chooseWay() {
        Headers probe = new Headers();
        probe.putAll(Map.of("Wechatpay-Timestamp", List.of("0")));
        if (probe.keySet().contains("Wechatpay-Timestamp")) {
            return Way.PUT_ALL;
        }
        if (INNER_MAP != null) {
            return Way.INNER_MAP;
        }
        System.err.println("alipay-sandbox: this JDK's HTTP server lower-cases response header names "
                + "(Wechatpay-timestamp), which the official WeChat Pay SDK does not find; run on Java 17 or with "
                + "--add-opens jdk.httpserver/com.sun.net.httpserver=ALL-UNNAMED");
        return Way.NORMALISED;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> innerMapOf(Headers headers) {
        try {
            return (Map<String, List<String>>) INNER_MAP.get(headers);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("checked accessible at start", e);
        }
    }

    private static Field innerMap() {
        try {
            Field f = Headers.class.getDeclaredField("map");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) { // InaccessibleObjectException without --add-opens
            return null;
        }
    }
}
