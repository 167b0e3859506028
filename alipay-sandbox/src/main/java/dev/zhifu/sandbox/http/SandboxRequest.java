package dev.zhifu.sandbox.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as the sandbox core sees it, independent of the server that received it.
 *
 * @param method   upper-case HTTP method
 * @param path     the path below the servlet context (standalone: the whole path), e.g. {@code /gateway.do}
 * @param rawQuery the undecoded query string, or {@code ""}
 * @param headers  header names in lower case
 * @param body     the raw body bytes
 * @param origin   {@code scheme://host[:port]} as the client addressed us, for absolute links
 */
public record SandboxRequest(
        String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body, String origin) {

    public SandboxRequest {
        rawQuery = rawQuery == null ? "" : rawQuery;
        body = body == null ? new byte[0] : body;
        headers = Map.copyOf(headers);
    }

    /** First value of a header, or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
