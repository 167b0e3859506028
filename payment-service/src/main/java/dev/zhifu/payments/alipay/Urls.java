package dev.zhifu.payments.alipay;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

public final class Urls {

    private Urls() {}

    /** An absolute http(s) URL with a host. */
    public static boolean isHttp(String url) {
        try {
            URI uri = URI.create(url.strip());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * A plain {@code http} URL to a host other than this machine's loopback interface. Alipay's gateways are
     * https; http is fine only for a sandbox on the same machine, which nothing on the network can read.
     */
    public static boolean isPlainHttpOffThisMachine(String url) {
        try {
            URI uri = URI.create(url.strip());
            return "http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && !isLoopbackHost(uri.getHost());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * {@code localhost}, an IPv4 literal in 127.0.0.0/8, or {@code [::1]}, as {@link URI#getHost()} gives them.
     * Decided on the text alone, never through DNS: a name such as {@code 127.0.0.1.example.com} is not loopback.
     */
    static boolean isLoopbackHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            String v6 = h.substring(1, h.length() - 1);
            // an IPv6 literal is parsed, not looked up; a zone (%eth0) or anything odd is simply not loopback
            if (!v6.matches("[0-9a-f:.]+")) {
                return false;
            }
            try {
                return InetAddress.getByName(v6).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String part : parts) {
            if (!part.matches("[0-9]{1,3}") || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
