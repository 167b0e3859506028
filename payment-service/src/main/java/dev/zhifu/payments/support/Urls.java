package dev.zhifu.payments.support;

import java.net.URI;

public final class Urls {

    private Urls() {
    }

    /** An absolute http(s) URL with a host. */
    public static boolean isHttp(String url) {
        try {
            URI uri = URI.create(url.strip());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
