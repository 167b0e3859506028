package dev.zhifu.wechatpay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.zhifu.fixtures.WechatPayTestKeys;
import dev.zhifu.wechatpay.crypto.RsaProvider;
import dev.zhifu.wechatpay.crypto.Sha256WithRsa;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * A small WeChat Pay on 127.0.0.1 for the client's own tests: it checks each request's {@code Authorization}
 * against the merchant's TEST certificate, keeps orders and refunds in memory, and signs every answer as WeChat
 * Pay would. Scripted reactions (faults, forgeries) take precedence over the routes, one per request.
 */
final class LoopbackGateway implements AutoCloseable {

    /** One scripted reaction to a request. */
    interface Reaction {
        void respond(HttpExchange exchange, String body) throws IOException;
    }

    /** A request as received, for assertions. */
    record Received(String method, String pathAndQuery, Map<String, List<String>> headers, String body) {}

    static final String BILL = "交易时间,公众账号ID,商户号,微信订单号,商户订单号,交易状态,应结订单金额\n"
            + "`2026-12-06 10:00:00,`wx0000000000000001,`1900000001,`4200000001,`order-0001,`SUCCESS,`0.01\n"
            + "总交易单数,应结订单总金额\n"
            + "`1,`0.01\n";

    private static final Pattern AUTH_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Sha256WithRsa RSA = new Sha256WithRsa(RsaProvider.jdk());

    private final HttpServer server;
    private final Clock clock;
    private volatile WechatPaySide signer;
    private final Deque<Reaction> script = new ArrayDeque<>();
    private final Map<String, long[]> orders = new ConcurrentHashMap<>();
    private final Map<String, String> refunds = new ConcurrentHashMap<>();
    final List<Received> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The platform certificates {@code /v3/certificates} hands out: PEM text and serial. */
    final List<String[]> platformCertificates = new ArrayList<>();

    LoopbackGateway(WechatPaySide signer, Clock clock) throws IOException {
        this.signer = signer;
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void signWith(WechatPaySide signer) {
        this.signer = signer;
    }

    LoopbackGateway then(Reaction reaction) {
        synchronized (script) {
            script.add(reaction);
        }
        return this;
    }

    /** An answer signed by {@code side} (a forger, say) instead of the gateway's key. */
    Reaction signedBy(WechatPaySide side, int status, String body) {
        return (exchange, request) -> reply(exchange, status, body, side.sign(body, clock.instant()));
    }

    static Reaction unsigned(int status, String body) {
        return (exchange, request) -> reply(exchange, status, body, Map.of());
    }

    static Reaction hang(long millis) {
        return (exchange, request) -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(exchange, 500, "", Map.of());
        };
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        URI uri = exchange.getRequestURI();
        String pathAndQuery = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        received.add(new Received(exchange.getRequestMethod(), pathAndQuery, exchange.getRequestHeaders(), body));
        Reaction scripted;
        synchronized (script) {
            scripted = script.poll();
        }
        try {
            if (scripted != null) {
                scripted.respond(exchange, body);
            } else if (!authorized(
                    exchange.getRequestMethod(),
                    pathAndQuery,
                    body,
                    exchange.getRequestHeaders().getFirst("Authorization"))) {
                signed(exchange, 401, "{\"code\":\"SIGN_ERROR\",\"message\":\"签名错误\"}");
            } else {
                route(exchange, exchange.getRequestMethod(), uri.getRawPath(), body);
            }
        } catch (RuntimeException e) {
            signed(exchange, 400, "{\"code\":\"PARAM_ERROR\",\"message\":\"" + e.getMessage() + "\"}");
        }
    }

    /** The request's signature, checked against the merchant's TEST certificate. */
    static boolean authorized(String method, String pathAndQuery, String body, String authorization) {
        String prefix = RequestSigner.SCHEMA + " ";
        if (authorization == null || !authorization.startsWith(prefix)) {
            return false;
        }
        Map<String, String> params = new java.util.HashMap<>();
        Matcher m = AUTH_PARAM.matcher(authorization.substring(prefix.length()));
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        if (!WechatPayTestKeys.MCHID.equals(params.get("mchid"))
                || !WechatPayTestKeys.MERCHANT_SERIAL.equals(params.get("serial_no"))
                || params.get("timestamp") == null) {
            return false;
        }
        String message = method + "\n" + pathAndQuery + "\n" + params.get("timestamp") + "\n" + params.get("nonce_str")
                + "\n" + body + "\n";
        return RSA.verify(Fixtures.MERCHANT_PUBLIC, message, params.get("signature"));
    }

    private void route(HttpExchange exchange, String method, String path, String body) throws IOException {
        Map<String, Object> json = body.isEmpty() ? Map.of() : Json.parseObject(body);
        if (method.equals("POST") && path.matches("/v3/pay/transactions/(native|jsapi|h5|app)")) {
            String outTradeNo = Fields.text(json, "out_trade_no");
            long total = Fields.fen(Fields.object(json, "amount"), "total");
            if (orders.putIfAbsent(outTradeNo, new long[] {total, 0}) != null) {
                signed(exchange, 400, "{\"code\":\"INVALID_REQUEST\",\"message\":\"订单号重复\"}");
                return;
            }
            String kind = path.substring(path.lastIndexOf('/') + 1);
            String answer = switch (kind) {
                case "native" -> "{\"code_url\":\"weixin://wxpay/bizpayurl?pr=" + outTradeNo + "\"}";
                case "h5" ->
                    "{\"h5_url\":\"https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx" + outTradeNo
                            + "\"}";
                default -> "{\"prepay_id\":\"wx" + outTradeNo + "\"}";
            };
            signed(exchange, 200, answer);
        } else if (method.equals("GET") && path.startsWith("/v3/pay/transactions/out-trade-no/")) {
            transaction(exchange, path.substring("/v3/pay/transactions/out-trade-no/".length()));
        } else if (method.equals("GET") && path.startsWith("/v3/pay/transactions/id/4200000000")) {
            String outTradeNo = orders.keySet().stream()
                    .filter(no -> path.endsWith("/4200000000" + Math.abs(no.hashCode())))
                    .findFirst()
                    .orElse("unknown");
            transaction(exchange, outTradeNo);
        } else if (method.equals("POST") && path.matches("/v3/pay/transactions/out-trade-no/[^/]+/close")) {
            String outTradeNo = path.split("/")[5];
            long[] order = orders.get(outTradeNo);
            if (order == null) {
                signed(exchange, 404, "{\"code\":\"ORDER_NOT_EXIST\",\"message\":\"订单不存在\"}");
            } else {
                order[1] = -1;
                signed(exchange, 204, "");
            }
        } else if (method.equals("POST") && path.equals("/v3/refund/domestic/refunds")) {
            String outRefundNo = Fields.text(json, "out_refund_no");
            Map<String, Object> amount = Fields.object(json, "amount");
            String refund = "{\"refund_id\":\"50000000000000000000000000001\",\"out_refund_no\":\"" + outRefundNo
                    + "\",\"transaction_id\":\"4200000000000000000000000001\",\"out_trade_no\":\""
                    + Fields.text(json, "out_trade_no") + "\",\"channel\":\"ORIGINAL\",\"user_received_account\":"
                    + "\"支付用户零钱\",\"create_time\":\"2026-12-07T12:00:00+08:00\",\"status\":\"PROCESSING\","
                    + "\"amount\":{\"total\":" + Fields.fen(amount, "total") + ",\"refund\":"
                    + Fields.fen(amount, "refund") + ",\"payer_total\":" + Fields.fen(amount, "total")
                    + ",\"payer_refund\":" + Fields.fen(amount, "refund") + ",\"currency\":\"CNY\"}}";
            refunds.put(outRefundNo, refund.replace("PROCESSING", "SUCCESS"));
            signed(exchange, 200, refund);
        } else if (method.equals("GET") && path.startsWith("/v3/refund/domestic/refunds/")) {
            String refund = refunds.get(path.substring("/v3/refund/domestic/refunds/".length()));
            if (refund == null) {
                signed(exchange, 404, "{\"code\":\"RESOURCE_NOT_EXISTS\",\"message\":\"退款单不存在\"}");
            } else {
                signed(exchange, 200, refund);
            }
        } else if (method.equals("GET")
                && (path.equals("/v3/bill/tradebill") || path.equals("/v3/bill/fundflowbill"))) {
            boolean gzip = exchange.getRequestURI().getRawQuery().contains("tar_type=GZIP");
            signed(
                    exchange,
                    200,
                    "{\"hash_type\":\"SHA1\",\"hash_value\":\"" + sha1(BILL) + "\",\"download_url\":\"" + url()
                            + "/v3/billdownload/file?token=TEST" + (gzip ? "&tartype=gzip" : "") + "\"}");
        } else if (method.equals("GET") && path.equals("/v3/billdownload/file")) {
            boolean gzip = exchange.getRequestURI().getRawQuery().contains("tartype=gzip");
            byte[] bill = BILL.getBytes(StandardCharsets.UTF_8);
            reply(exchange, 200, gzip ? gzip(bill) : bill, Map.of());
        } else if (method.equals("GET") && path.equals("/v3/certificates")) {
            signed(exchange, 200, certificates());
        } else {
            signed(exchange, 404, "{\"code\":\"NOT_FOUND\",\"message\":\"无此接口\"}");
        }
    }

    private void transaction(HttpExchange exchange, String outTradeNo) throws IOException {
        long[] order = orders.get(outTradeNo);
        if (order == null) {
            signed(exchange, 404, "{\"code\":\"ORDER_NOT_EXIST\",\"message\":\"订单不存在\"}");
            return;
        }
        String state = order[1] < 0 ? "CLOSED" : "NOTPAY";
        signed(exchange, 200, WechatPaySide.transactionJson(outTradeNo, order[0], state));
    }

    private String certificates() {
        StringBuilder data = new StringBuilder("{\"data\":[");
        for (int i = 0; i < platformCertificates.size(); i++) {
            String[] certificate = platformCertificates.get(i);
            String nonce = "certNonce" + i + "abc";
            data.append(i == 0 ? "" : ",")
                    .append("{\"serial_no\":\"")
                    .append(certificate[1])
                    .append("\",\"effective_time\":\"2026-01-01T00:00:00+08:00\",\"expire_time\":"
                            + "\"2050-01-01T00:00:00+08:00\",\"encrypt_certificate\":{\"algorithm\":"
                            + "\"AEAD_AES_256_GCM\",\"nonce\":\"")
                    .append(nonce)
                    .append("\",\"associated_data\":\"certificate\",\"ciphertext\":\"")
                    .append(WechatPaySide.APIV3.encrypt("certificate", nonce, certificate[0]))
                    .append("\"}}");
        }
        return data.append("]}").toString();
    }

    private void signed(HttpExchange exchange, int status, String body) throws IOException {
        reply(exchange, status, body, signer.sign(body, clock.instant()));
    }

    static void reply(HttpExchange exchange, int status, String body, Map<String, String> headers) throws IOException {
        reply(exchange, status, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    static void reply(HttpExchange exchange, int status, byte[] body, Map<String, String> headers) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        if (body.length > 0) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        }
        exchange.getResponseHeaders().set("Request-ID", "08TEST0000000001");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static String sha1(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
