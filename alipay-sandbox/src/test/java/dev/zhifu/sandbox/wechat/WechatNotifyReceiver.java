package dev.zhifu.sandbox.wechat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import com.wechat.pay.java.core.notification.RequestParam;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/** A merchant's notify_url on loopback: keeps what arrives and answers scripted statuses (then 200). */
final class WechatNotifyReceiver implements AutoCloseable {

    /** One received notification: as the SDK's parser wants it, and as headers and raw body for our client. */
    record Received(RequestParam param, String body, Map<String, String> headers) {}

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();

    WechatNotifyReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/notify", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var headers = exchange.getRequestHeaders(); // the JDK reads header names case-insensitively
            received.add(new Received(
                    new RequestParam.Builder()
                            .serialNumber(headers.getFirst("Wechatpay-Serial"))
                            .nonce(headers.getFirst("Wechatpay-Nonce"))
                            .signature(headers.getFirst("Wechatpay-Signature"))
                            .timestamp(headers.getFirst("Wechatpay-Timestamp"))
                            .signType(headers.getFirst("Wechatpay-Signature-Type"))
                            .body(body)
                            .build(),
                    body,
                    wechatpayHeaders(headers)));
            Integer status = statuses.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The {@code Wechatpay-*} headers, by the names they arrived with (the JDK capitalises the first letter). */
    private static Map<String, String> wechatpayHeaders(Headers headers) {
        Map<String, String> signing = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            if (name.toLowerCase(Locale.ROOT).startsWith("wechatpay-")) {
                signing.put(name, values.get(0));
            }
        });
        return signing;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/notify";
    }

    /** The next answers' statuses, in order; after them the receiver answers 200. */
    void answer(Integer... statusCodes) {
        statuses.addAll(List.of(statusCodes));
    }

    /** Waits for the first {@code count} notifications; fewer when {@code timeout} passes first. */
    List<Received> await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return received();
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
