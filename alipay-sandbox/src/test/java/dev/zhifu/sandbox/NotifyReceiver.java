package dev.zhifu.sandbox;

import com.sun.net.httpserver.HttpServer;
import dev.zhifu.sandbox.http.FormCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/** A merchant's notify_url on loopback: records what arrives and answers scripted bodies (then "success"). */
final class NotifyReceiver implements AutoCloseable {

    /** One received notification, decoded once with its own charset (docs/alipay-protocol.md#s9.1). */
    record Received(Map<String, String> params, String contentType, String charset, String upgrade) {}

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<String> answers = new ConcurrentLinkedQueue<>();

    NotifyReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/notify", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String raw = new String(body, StandardCharsets.ISO_8859_1);
            String charsetName = FormCodec.peek(raw, "charset");
            Charset charset = Charset.forName(charsetName == null ? "UTF-8" : charsetName);
            received.add(new Received(
                    FormCodec.decode(new String(body, StandardCharsets.ISO_8859_1), charset),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    charset.name(),
                    exchange.getRequestHeaders().getFirst("Upgrade")));
            String answer = answers.poll();
            byte[] out = (answer == null ? "success" : answer).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/notify";
    }

    /** The next answers, in order; after them the receiver answers "success". */
    void answer(String... bodies) {
        answers.addAll(List.of(bodies));
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    List<Received> receivedFor(String outTradeNo) {
        return received().stream()
                .filter(r -> outTradeNo.equals(r.params().get("out_trade_no")))
                .toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
