package dev.zhifu.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Both clients' {@code HttpTransport} on OkHttp (here only because the official WeChat Pay SDK brings it): a
 * blocking exchange on the caller's thread, to show what the pluggable transport buys beside the clients' own
 * JDK {@code HttpClient} (BENCHMARKS.md, "Client round trip"). Not a product class: the clients stay on the JDK.
 */
final class OkHttpTransports {

    private OkHttpTransports() {}

    static dev.zhifu.alipay.HttpTransport alipay() {
        OkHttpClient http = new OkHttpClient.Builder().followRedirects(false).build();
        return new dev.zhifu.alipay.HttpTransport() {
            @Override
            public Answer post(URI uri, String contentType, byte[] body, Duration timeout) throws IOException {
                Request request = new Request.Builder()
                        .url(uri.toString())
                        .post(RequestBody.create(body, MediaType.get(contentType)))
                        .build();
                try (Response response = client(http, timeout).newCall(request).execute()) {
                    return new Answer(
                            response.code(),
                            response.header("Content-Type"),
                            response.body().bytes(),
                            response.header("trace_id"));
                }
            }

            @Override
            public StreamedAnswer get(URI uri, Duration timeout) {
                throw new UnsupportedOperationException("the round trip only posts");
            }
        };
    }

    static dev.zhifu.wechatpay.HttpTransport wechatPay() {
        OkHttpClient http = new OkHttpClient.Builder().followRedirects(false).build();
        return (method, uri, headers, body, timeout) -> {
            Request.Builder request = new Request.Builder()
                    .url(uri.toString())
                    .method(method, body == null ? null : RequestBody.create(body, null));
            headers.forEach(request::header);
            try (Response response =
                    client(http, timeout).newCall(request.build()).execute()) {
                Map<String, String> answerHeaders = new HashMap<>();
                for (String name : response.headers().names()) {
                    answerHeaders.put(name, response.header(name));
                }
                return new dev.zhifu.wechatpay.HttpTransport.Answer(
                        response.code(), answerHeaders, response.body().bytes());
            }
        };
    }

    private static OkHttpClient client(OkHttpClient http, Duration timeout) {
        return timeout == null ? http : http.newBuilder().callTimeout(timeout).build();
    }
}
