package dev.zhifu.alipay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.zhifu.alipay.crypto.AlipaySigner;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.crypto.SignType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A tiny fake gateway on 127.0.0.1 answering from a script, for transport-level tests. */
final class LoopbackGateway implements AutoCloseable {

    /** One scripted reaction to a request. */
    interface Reaction {
        void respond(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final Deque<Reaction> script = new ArrayDeque<>();
    final AtomicInteger requests = new AtomicInteger();
    private final AlipaySigner alipay;

    LoopbackGateway(PrivateKey alipayPrivateKey) throws IOException {
        this.alipay = new AlipaySigner(alipayPrivateKey, SignType.RSA2, RsaProvider.jdk());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            Reaction next;
            synchronized (script) {
                next = script.poll();
            }
            if (next == null) {
                reply(exchange, 500, "no scripted answer");
            } else {
                next.respond(exchange);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/gateway.do";
    }

    LoopbackGateway then(Reaction reaction) {
        synchronized (script) {
            script.add(reaction);
        }
        return this;
    }

    /** A correctly signed answer for {@code method} with the given node JSON. */
    Reaction signed(String method, String nodeJson) {
        String body = "{\"" + method.replace('.', '_') + "_response\":" + nodeJson + ",\"sign\":\""
                + alipay.sign(nodeJson, StandardCharsets.UTF_8) + "\"}";
        return exchange -> reply(exchange, 200, body);
    }

    static Reaction status(int code, String body) {
        return exchange -> reply(exchange, code, body);
    }

    /** Sleeps past the client's read timeout, then answers nothing useful. */
    static Reaction hang(long millis) {
        return exchange -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                reply(exchange, 500, "late");
            } catch (IOException ignored) {
                // the client has gone
            }
        };
    }

    /** Announces a long body, sends half of it, and closes the connection. */
    static Reaction truncated(String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            OutputStream out = exchange.getResponseBody();
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            exchange.getHttpContext().getServer();
            exchange.close();
        };
    }

    static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
        exchange.getResponseHeaders().set("trace_id", "0b8e5a1d17172144000001234e");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
