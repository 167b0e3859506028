package dev.zhifu.wechatpay;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One signed request and its verified answer. Every answer is verified before it is believed, errors included: a
 * 4xx that does not verify could be a forgery hiding a payment that went through, so it counts as an unknown
 * outcome, not as a refusal (docs/wechatpay-protocol.md#s4, #s8).
 */
final class SignedExchange {

    private static final String USER_AGENT = "zhifu-wechatpay-client";

    private final URI baseUrl;
    private final HttpTransport transport;
    private final Duration timeout;
    private final Clock clock;
    private final RequestSigner signer;
    private final AnswerVerifier verifier;
    private final Supplier<String> wechatPaySerial;

    SignedExchange(
            URI baseUrl,
            HttpTransport transport,
            Duration timeout,
            Clock clock,
            RequestSigner signer,
            AnswerVerifier verifier,
            Supplier<String> wechatPaySerial) {
        this.baseUrl = baseUrl;
        this.transport = transport;
        this.timeout = timeout;
        this.clock = clock;
        this.signer = signer;
        this.verifier = verifier;
        this.wechatPaySerial = wechatPaySerial;
    }

    URI uri(String pathAndQuery) {
        if (!pathAndQuery.startsWith("/v3/")) {
            throw new IllegalArgumentException("WeChat Pay API paths start with /v3/: " + pathAndQuery);
        }
        try {
            return URI.create(baseUrl + pathAndQuery);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL path: " + pathAndQuery, e);
        }
    }

    /** Sends, verifies, and returns a 2xx answer; anything else is thrown typed. */
    WechatPayAnswer send(String method, URI uri, String body, String serialHeader) {
        HttpTransport.Answer answer = exchange(method, uri, body, serialHeader, "application/json");
        String text = new String(answer.body(), StandardCharsets.UTF_8);
        boolean success = answer.status() >= 200 && answer.status() < 300;
        if (success) {
            verifier.verify(answer.headers(), text, true);
            return new WechatPayAnswer(answer.status(), text);
        }
        throw error(answer.status(), answer.headers(), text);
    }

    /** A GET whose 2xx answer the caller checks itself: a bill file by its digest, certificates as they arrive. */
    HttpTransport.Answer sendUnverified(URI uri, String accept) {
        HttpTransport.Answer answer = exchange("GET", uri, null, null, accept);
        if (answer.status() < 200 || answer.status() >= 300) {
            throw error(answer.status(), answer.headers(), new String(answer.body(), StandardCharsets.UTF_8));
        }
        return answer;
    }

    private HttpTransport.Answer exchange(String method, URI uri, String body, String serialHeader, String accept) {
        long timestamp = clock.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", signer.authorization(method, uri, body, timestamp, signer.nonce()));
        headers.put("Accept", accept);
        headers.put("User-Agent", USER_AGENT);
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        String serial = serialHeader != null ? serialHeader : wechatPaySerial.get();
        if (serial != null) {
            headers.put(AnswerVerifier.SERIAL, serial);
        }
        try {
            return transport.send(
                    method, uri, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8), timeout);
        } catch (HttpConnectTimeoutException | ConnectException notConnected) {
            throw new WechatPayTransportException("cannot connect to " + uri.getHost(), false, notConnected);
        } catch (IOException e) {
            throw new WechatPayTransportException(
                    method + " " + uri.getRawPath() + " failed without an answer: " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WechatPayTransportException("interrupted waiting for WeChat Pay", true, e);
        }
    }

    private WechatPayException error(int status, Map<String, String> headers, String text) {
        String code = null;
        String message = null;
        try {
            Map<String, Object> json = Json.parseObject(text);
            code = Fields.optionalText(json, "code");
            message = Fields.optionalText(json, "message");
        } catch (IllegalArgumentException notJson) {
            // a proxy's HTML page or an empty body: no WeChat Pay error code to report
        }
        if (status >= 500) {
            return new WechatPayApiException(status, code, message);
        }
        try {
            verifier.verify(headers, text, true);
        } catch (WechatPaySignatureException unverified) {
            return new WechatPaySignatureException(
                    "HTTP " + status + " " + code + " not signed by WeChat Pay: " + unverified.getMessage(), true);
        }
        if (code == null) {
            return new WechatPayMalformedException("HTTP " + status + " without a WeChat Pay error code", true, null);
        }
        return new WechatPayApiException(status, code, message);
    }
}
