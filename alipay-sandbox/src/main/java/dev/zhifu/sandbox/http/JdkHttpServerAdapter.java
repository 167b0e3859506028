package dev.zhifu.sandbox.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Serves a {@link SandboxHandler} with the JDK's built-in HTTP server: starts in milliseconds, no framework. */
public final class JdkHttpServerAdapter implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService workers;

    private JdkHttpServerAdapter(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    /** Binds {@code host:port} (port 0 = any free port) and starts serving. */
    public static JdkHttpServerAdapter start(String host, int port, SandboxHandler handler) throws IOException {
        // Without TCP_NODELAY the JDK server's small answers wait ~40 ms for delayed ACKs (Nagle), capping a
        // client at ~25 calls/s. The JDK reads this once, when its first HttpServer is made; a value the
        // application set itself is left alone.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        AtomicInteger ids = new AtomicInteger();
        // a cached pool: the time-out fault parks a thread on purpose and must not block other calls
        ExecutorService workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "alipay-sandbox-http-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", exchange -> serve(exchange, handler));
        server.start();
        return new JdkHttpServerAdapter(server, workers);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void serve(HttpExchange exchange, SandboxHandler handler) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            String host = exchange.getRequestHeaders().getFirst("Host");
            if (host == null) {
                host = "127.0.0.1:" + exchange.getLocalAddress().getPort();
            }
            SandboxRequest request = new SandboxRequest(
                    exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(),
                    headers,
                    body,
                    "http://" + host);
            SandboxResponse response;
            try {
                response = handler.handle(request);
            } catch (RuntimeException e) {
                response = SandboxResponse.text(500, "alipay-sandbox internal error: " + e);
            }
            // names as we spell them: WeChat Pay's SDK reads Wechatpay-Timestamp case-sensitively
            ExactHeaderNames.put(exchange.getResponseHeaders(), response.headers());
            boolean head = "HEAD".equals(request.method());
            exchange.sendResponseHeaders(
                    response.status(), head || response.body().length == 0 ? -1 : response.body().length);
            if (!head && response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
