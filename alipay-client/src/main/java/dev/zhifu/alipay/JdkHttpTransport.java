package dev.zhifu.alipay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@link HttpTransport} on the JDK's HTTP client: HTTP/1.1, connection reuse, no redirects followed. */
public final class JdkHttpTransport implements HttpTransport {

    private static final String USER_AGENT = "zhifu-alipay-client";
    private final HttpClient http;

    public JdkHttpTransport(Duration connectTimeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Answer post(URI uri, String contentType, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", contentType)
                .header("Accept", "text/plain,text/xml,text/javascript,text/html")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null),
                response.body(),
                response.headers().firstValue("trace_id").orElse(null));
    }

    @Override
    public StreamedAnswer get(URI uri, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("User-Agent", USER_AGENT)
                .GET()
                .build();
        HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        return new StreamedAnswer(
                response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null),
                response.body());
    }
}
