package dev.zhifu.wechatpay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/** {@link HttpTransport} on the JDK's HTTP client: HTTP/1.1, connection reuse, no redirects followed. */
public final class JdkHttpTransport implements HttpTransport {

    private final HttpClient http;

    /**
     * Runs the client's own work (reading and parsing the answer, completing the call) on its selector thread
     * instead of handing each step to a pool: a synchronous call then wakes its caller once instead of after two
     * or three thread hand-offs, which on loopback cost as much as the exchange itself (BENCHMARKS.md, "Client
     * round trip"). Nothing here blocks in those steps: answers are read whole ({@code ofByteArray}) or handed to
     * the caller as a stream it reads on its own thread.
     */
    public JdkHttpTransport(Duration connectTimeout) {
        this(connectTimeout, Runnable::run);
    }

    /**
     * With the executor of the JDK client's asynchronous steps; {@code null} for the JDK's default (a cached pool
     * of its own).
     */
    public JdkHttpTransport(Duration connectTimeout, Executor executor) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (executor != null) {
            builder.executor(executor);
        }
        this.http = builder.build();
    }

    @Override
    public Answer send(String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout);
        headers.forEach(request::header);
        request.method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> answerHeaders = new HashMap<>();
        for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
            if (!header.getValue().isEmpty()) {
                answerHeaders.put(header.getKey(), header.getValue().get(0));
            }
        }
        return new Answer(response.statusCode(), answerHeaders, response.body());
    }
}
