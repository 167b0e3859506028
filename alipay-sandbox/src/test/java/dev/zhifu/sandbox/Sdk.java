package dev.zhifu.sandbox;

import com.alipay.api.AlipayApiException;
import com.alipay.api.AlipayClient;
import com.alipay.api.AlipayConfig;
import com.alipay.api.DefaultAlipayClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/** The official SDK pointed at a sandbox, and small helpers around it. */
final class Sdk {

    private static final AtomicLong ORDERS = new AtomicLong(System.nanoTime() % 1_000_000);
    static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private Sdk() {}

    static AlipayClient publicKeyClient(AlipaySandbox sandbox, String charset) {
        return new DefaultAlipayClient(
                sandbox.gatewayUrl(),
                sandbox.appId(),
                sandbox.appPrivateKeyBase64(),
                "json",
                charset,
                sandbox.alipayPublicKeyBase64(),
                "RSA2");
    }

    static AlipayClient certClient(AlipaySandbox sandbox, String charset) throws AlipayApiException {
        AlipayConfig config = new AlipayConfig();
        config.setServerUrl(sandbox.gatewayUrl());
        config.setAppId(sandbox.appId());
        config.setPrivateKey(sandbox.appPrivateKeyBase64());
        config.setCharset(charset);
        config.setSignType("RSA2");
        config.setAppCertContent(sandbox.appCertPem());
        config.setAlipayPublicCertContent(sandbox.alipayCertPem());
        config.setRootCertContent(sandbox.alipayRootCertPem());
        return new DefaultAlipayClient(config);
    }

    static String orderNo(String prefix) {
        return prefix + System.currentTimeMillis() % 100000000 + "_" + ORDERS.incrementAndGet();
    }

    static HttpResponse<byte[]> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    static HttpResponse<byte[]> post(String url, String contentType, String body) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    }

    static HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
