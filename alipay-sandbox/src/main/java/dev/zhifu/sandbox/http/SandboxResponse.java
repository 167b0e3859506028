package dev.zhifu.sandbox.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP response from the sandbox core. */
public record SandboxResponse(int status, Map<String, String> headers, byte[] body) {

    public SandboxResponse {
        headers = Map.copyOf(headers);
    }

    public static SandboxResponse of(int status, String contentType, byte[] body) {
        return new SandboxResponse(status, Map.of("Content-Type", contentType), body);
    }

    public static SandboxResponse text(int status, String text) {
        return of(status, "text/plain;charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static SandboxResponse html(int status, String html) {
        return of(status, "text/html;charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    public static SandboxResponse json(int status, String json) {
        return of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** 302 to {@code location}; browsers follow it with GET, also after a form POST. */
    public static SandboxResponse redirect(String location) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", location);
        headers.put("Content-Type", "text/plain;charset=utf-8");
        return new SandboxResponse(302, headers, "redirecting".getBytes(StandardCharsets.UTF_8));
    }
}
