package dev.zhifu.loadtest;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/** The load tool and the suites send traffic to this machine only: 127.0.0.0/8, {@code localhost} or ::1. */
public final class Loopback {

    private Loopback() {}

    /** Answers the URI when its host is loopback; throws {@link IllegalArgumentException} otherwise. */
    public static URI require(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("only http:// on loopback is allowed, got " + url);
        }
        String host = uri.getHost();
        if (host == null || !isLoopbackHost(host)) {
            throw new IllegalArgumentException(
                    "refusing a target that is not loopback (127.0.0.0/8, localhost, ::1): " + url);
        }
        return uri;
    }

    /**
     * Whether the host is a loopback literal or {@code localhost}. Other names are refused without a DNS
     * look-up, so a name that resolves elsewhere can never be used.
     */
    public static boolean isLoopbackHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost")) {
            return true;
        }
        if (h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            for (String part : h.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (h.contains(":") && h.matches("[0-9a-f:.]+")) {
            try {
                // a literal: no look-up happens
                return InetAddress.getByName(h).isLoopbackAddress()
                        && h.replace("0", "").replace(":", "").equals("1");
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
