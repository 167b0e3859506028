package dev.zhifu.sandbox.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The control API over HTTP, for tests: buyer actions, inspection and faults. Every call throws
 * {@link IllegalStateException} with the answer's body when the sandbox answers with an error status.
 */
public final class SandboxControlClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String areaUrl;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param areaUrl e.g. {@code http://127.0.0.1:9000/sandbox} */
    public SandboxControlClient(String areaUrl) {
        this.areaUrl = areaUrl;
    }

    /** {@code GET /sandbox/trades/{out_trade_no}}; {@code null} when the sandbox does not know it (404). */
    public JsonNode trade(String outTradeNo) {
        HttpResponse<String> r = send("GET", "/trades/" + encode(outTradeNo), null);
        return r.statusCode() == 404 ? null : parse(r);
    }

    /** The buyer scans a precreate QR code. */
    public JsonNode scan(String outTradeNo) {
        return parse(send("POST", "/trades/" + encode(outTradeNo) + "/scan", ""));
    }

    /** The buyer pays (scanning first where needed). */
    public JsonNode pay(String outTradeNo) {
        return parse(send("POST", "/trades/" + encode(outTradeNo) + "/pay", ""));
    }

    /** The {@code data} list of {@code GET /sandbox/notifications?out_trade_no=}. */
    public JsonNode notifications(String outTradeNo) {
        return parse(send("GET", "/notifications?out_trade_no=" + encode(outTradeNo), null))
                .get("data");
    }

    /** {@code POST /sandbox/faults} with a JSON object or array (see README). */
    public JsonNode addFault(String json) {
        return parse(send("POST", "/faults", json));
    }

    /** {@code DELETE /sandbox/faults}. */
    public void clearFaults() {
        parse(send("DELETE", "/faults", null));
    }

    private HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(areaUrl + path)).timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode parse(HttpResponse<String> r) {
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("sandbox answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
