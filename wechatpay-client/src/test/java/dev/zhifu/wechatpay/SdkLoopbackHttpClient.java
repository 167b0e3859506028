package dev.zhifu.wechatpay;

import com.wechat.pay.java.core.Config;
import com.wechat.pay.java.core.http.AbstractHttpClient;
import com.wechat.pay.java.core.http.HttpRequest;
import com.wechat.pay.java.core.http.JsonRequestBody;
import com.wechat.pay.java.core.http.OriginalResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The official SDK's own request pipeline (its credential signs, its validator verifies), carried over the JDK's
 * HTTP client to the loopback gateway instead of api.mch.weixin.qq.com. The JDK's HttpServer spells answer
 * headers {@code Wechatpay-timestamp}; WeChat Pay spells them {@code Wechatpay-Timestamp} and the SDK looks them
 * up case-sensitively, so their spelling is restored here.
 */
final class SdkLoopbackHttpClient extends AbstractHttpClient {

    private static final List<String> WECHATPAY_HEADERS =
            List.of("Wechatpay-Signature", "Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Serial", "Request-ID");

    private final String gatewayUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    SdkLoopbackHttpClient(Config config, String gatewayUrl) {
        super(config.createCredential(), config.createValidator());
        this.gatewayUrl = gatewayUrl;
    }

    @Override
    protected OriginalResponse innerExecute(HttpRequest request) {
        String body = request.getBody() instanceof JsonRequestBody json ? json.getBody() : null;
        HttpResponse<String> response = send(request, body, HttpResponse.BodyHandlers.ofString());
        Map<String, String> headers = new HashMap<>();
        response.headers().map().forEach((name, values) -> headers.put(wechatSpelling(name), values.get(0)));
        return new OriginalResponse.Builder()
                .request(request)
                .statusCode(response.statusCode())
                .headers(headers)
                .contentType(response.headers()
                        .firstValue("Content-Type")
                        .map(t -> t.split(";")[0])
                        .orElse(null))
                .body(response.body())
                .build();
    }

    @Override
    protected InputStream innerDownload(HttpRequest request) {
        return new ByteArrayInputStream(
                send(request, null, HttpResponse.BodyHandlers.ofByteArray()).body());
    }

    @Override
    protected String getHttpClientInfo() {
        return "jdk-loopback";
    }

    private <T> HttpResponse<T> send(HttpRequest request, String body, HttpResponse.BodyHandler<T> handler) {
        URI sdkUri = request.getUri();
        URI target = URI.create(
                gatewayUrl + sdkUri.getRawPath() + (sdkUri.getRawQuery() == null ? "" : "?" + sdkUri.getRawQuery()));
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(target);
        request.getHeaders().getHeaders().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                builder.header(name, value);
            }
        });
        builder.method(
                request.getHttpMethod().name(),
                body == null
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        try {
            return http.send(builder.build(), handler);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String wechatSpelling(String name) {
        return WECHATPAY_HEADERS.stream()
                .filter(name::equalsIgnoreCase)
                .findFirst()
                .orElse(name);
    }
}
