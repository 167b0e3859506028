package dev.zhifu.alipay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executor;

/** {@link HttpTransport} on the JDK's HTTP client: HTTP/1.1, connection reuse, no redirects followed. */
public final class JdkHttpTransport implements HttpTransport {

    private static final String USER_AGENT = "zhifu-alipay-client";
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
