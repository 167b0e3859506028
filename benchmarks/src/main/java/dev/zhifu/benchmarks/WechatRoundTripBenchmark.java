package dev.zhifu.benchmarks;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.service.payments.nativepay.NativePayService;
import com.wechat.pay.java.service.payments.nativepay.model.Amount;
import com.wechat.pay.java.service.payments.nativepay.model.PrepayRequest;
import dev.zhifu.fixtures.WechatPayTestKeys;
import dev.zhifu.wechatpay.HttpTransport;
import dev.zhifu.wechatpay.JdkHttpTransport;
import dev.zhifu.wechatpay.WechatPayClient;
import dev.zhifu.wechatpay.WechatPayConfig;
import dev.zhifu.wechatpay.crypto.PemKeys;
import dev.zhifu.wechatpay.crypto.RsaProvider;
import dev.zhifu.wechatpay.crypto.Sha256WithRsa;
import dev.zhifu.wechatpay.payments.Order;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A WeChat Pay Native prepay round trip against a canned gateway, as {@link RoundTripBenchmark} is for Alipay: a
 * loopback {@link HttpServer} on 127.0.0.1 (same JVM, sharing the cores) answers every
 * {@code POST /v3/pay/transactions/native} with one fixed {@code code_url} body, signed once per iteration with the
 * TEST WeChat Pay key in public-key mode; it reads the request and checks nothing, so it is the least a gateway can
 * cost. Each call signs the request, POSTs it, reads the answer, verifies it and parses {@code code_url}:
 * wechatpay-client with ACCP and with the JDK (its JDK {@code HttpClient}), the official SDK 0.2.17 (JDK RSA,
 * OkHttp). {@code floor_*}: one sign of the same request message and one verify of the same answer message, plain
 * JCA with initialised {@link Signature}s: the crypto a round trip cannot avoid. {@code diag_*} split a round trip:
 * the client with the network replaced by the canned answer, and the network alone (the client's transport, and
 * OkHttp for comparison) posting a request of the same size. The gateway counts the requests; after every iteration
 * they must equal the calls made, so no call skipped the network.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
// on Java 18+ the answer's Wechatpay-* names keep their case only through the server's inner map (see putExact)
@Fork(value = 1, jvmArgsAppend = "--add-opens=jdk.httpserver/com.sun.net.httpserver=ALL-UNNAMED")
@Threads(1)
public class WechatRoundTripBenchmark {

    static final String PATH = "/v3/pay/transactions/native";
    static final String CODE_URL = "weixin://wxpay/bizpayurl?pr=AbCdEfGh1";
    static final String ANSWER = "{\"code_url\":\"" + CODE_URL + "\"}";
    static final String NOTIFY_URL = "https://shop.example/wechatpay/notify";
    static final String OUT_TRADE_NO = "BENCH00000000000001";

    @State(Scope.Benchmark)
    public static class Gateway {
        HttpServer server;
        final AtomicLong requests = new AtomicLong();
        /** Calls the benchmark methods made; checked against {@link #requests} after every iteration. */
        final AtomicLong calls = new AtomicLong();
        /** The answer's headers, replaced at each iteration so that the timestamp stays fresh. */
        volatile Map<String, String> answerHeaders;

        PrivateKey wechatPayKey;
        WechatPayClient oursAccp;
        WechatPayClient oursJdk;
        /** Ours with ACCP on the JDK HttpClient's default executor (a pool): the transport before its direct one. */
        WechatPayClient oursAccpPool;
        /** Ours with ACCP on a blocking OkHttp transport plugged in: what the JDK client's exchange costs. */
        WechatPayClient oursAccpOkHttp;

        NativePayService sdk;
        /** Diagnostics: the same client with the network replaced, and the network alone. */
        WechatPayClient inMemoryAccp;

        JdkHttpTransport transport;
        JdkHttpTransport pooledTransport;
        okhttp3.OkHttpClient okHttp;
        okhttp3.Request okHttpRequest;
        URI uri;
        Map<String, String> requestHeaders;
        byte[] requestBody;
        byte[] lastBody;

        @Setup(Level.Trial)
        public void start() throws Exception {
            // the JDK server leaves Nagle on; with the client's delayed ACKs every answer would wait ~40 ms
            System.setProperty("sun.net.httpserver.nodelay", "true");
            wechatPayKey = PemKeys.privateKey(WechatPayTestKeys.text("wechatpay_private_key.pem"));
            signAnswer();
            byte[] answer = ANSWER.getBytes(StandardCharsets.UTF_8);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.createContext(PATH, exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    in.readAllBytes();
                }
                requests.incrementAndGet();
                putExact(exchange.getResponseHeaders(), answerHeaders);
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            });
            // no executor: the server's dispatcher thread answers, so the canned gateway adds no thread hand-off
            // of its own to the round trip (one call is in flight at a time)
            server.setExecutor(null);
            server.start();
            String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();

            oursAccp = new WechatPayClient(config(baseUrl, Fixtures.accp()));
            oursJdk = new WechatPayClient(config(baseUrl, Fixtures.jdk()));
            oursAccpPool = new WechatPayClient(configBuilder(baseUrl, Fixtures.accp())
                    .transport(new JdkHttpTransport(Duration.ofSeconds(10), null))
                    .build());
            RSAPublicKeyConfig sdkConfig = new RSAPublicKeyConfig.Builder()
                    .merchantId(WechatPayTestKeys.MCHID)
                    .privateKey(WechatPayTestKeys.text("merchant_private_key.pem"))
                    .merchantSerialNumber(WechatPayTestKeys.MERCHANT_SERIAL)
                    .apiV3Key(WechatPayTestKeys.APIV3_KEY)
                    .publicKey(WechatPayTestKeys.text("wechatpay_public_key.pem"))
                    .publicKeyId(WechatPayTestKeys.PUBLIC_KEY_ID)
                    .build();
            sdk = new NativePayService.Builder()
                    .httpClient(new DefaultHttpClientBuilder()
                            .config(sdkConfig)
                            .okHttpClient(Fixtures.redirectedTo(baseUrl))
                            .build())
                    .build();
            inMemoryAccp = new WechatPayClient(configBuilder(baseUrl, Fixtures.accp())
                    .transport((method, target, headers, body, timeout) -> {
                        lastBody = body;
                        return new HttpTransport.Answer(200, answerHeaders, answer);
                    })
                    .build());
            transport = new JdkHttpTransport(Duration.ofSeconds(10));
            pooledTransport = new JdkHttpTransport(Duration.ofSeconds(10), null);
            uri = URI.create(baseUrl + PATH);
            requestBody = Floor.requestBody().getBytes(StandardCharsets.UTF_8);
            requestHeaders = new LinkedHashMap<>();
            // a signature's length and form; the canned gateway checks nothing
            requestHeaders.put(
                    "Authorization",
                    "WECHATPAY2-SHA256-RSA2048 mchid=\"" + WechatPayTestKeys.MCHID
                            + "\",nonce_str=\"0123456789ABCDEFGHIJKLMNOPQRSTUV\","
                            + "timestamp=\"1765000000\",serial_no=\"" + WechatPayTestKeys.MERCHANT_SERIAL
                            + "\",signature=\"" + "A".repeat(342) + "==\"");
            requestHeaders.put("Accept", "application/json");
            requestHeaders.put("User-Agent", "zhifu-wechatpay-client");
            requestHeaders.put("Content-Type", "application/json");
            requestHeaders.put("Wechatpay-Serial", WechatPayTestKeys.PUBLIC_KEY_ID);
            okHttp = new okhttp3.OkHttpClient();
            okhttp3.Request.Builder okRequest = new okhttp3.Request.Builder()
                    .url(uri.toString())
                    .post(okhttp3.RequestBody.create(
                            requestBody, okhttp3.MediaType.get("application/json; charset=utf-8")));
            requestHeaders.forEach(okRequest::header);
            okHttpRequest = okRequest.build();
            Fixtures.check(CODE_URL.equals(oursPrepay(inMemoryAccp)), "ours/ACCP in memory reads the canned code_url");
            Fixtures.check(java.util.Arrays.equals(lastBody, requestBody), "the floor signs the body the client sends");
            Fixtures.check(CODE_URL.equals(oursPrepay(oursAccp)), "ours/ACCP reads the canned code_url");
            Fixtures.check(CODE_URL.equals(oursPrepay(oursJdk)), "ours/JDK reads it");
            Fixtures.check(CODE_URL.equals(oursPrepay(oursAccpPool)), "ours/ACCP pooled reads it");
            oursAccpOkHttp = new WechatPayClient(configBuilder(baseUrl, Fixtures.accp())
                    .transport(OkHttpTransports.wechatPay())
                    .build());
            Fixtures.check(CODE_URL.equals(oursPrepay(oursAccpOkHttp)), "ours/ACCP on OkHttp reads it");
            Fixtures.check(CODE_URL.equals(sdkPrepay(sdk)), "the SDK reads it");
            Fixtures.check(requests.get() == 5, "the loopback gateway saw the five calls");
            calls.set(5);
        }

        /** Both clients refuse answers more than five minutes old: a fresh timestamp and signature per iteration. */
        @Setup(Level.Iteration)
        public void signAnswer() {
            String timestamp = Long.toString(Instant.now().getEpochSecond());
            String nonce = "cannedAnswerNonce0123456789ABCDE";
            String signature = new Sha256WithRsa(RsaProvider.jdk())
                    .sign(wechatPayKey, timestamp + "\n" + nonce + "\n" + ANSWER + "\n");
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json; charset=utf-8");
            headers.put("Request-ID", "08CANNED0000000000000000000000000001");
            headers.put("Wechatpay-Timestamp", timestamp);
            headers.put("Wechatpay-Nonce", nonce);
            headers.put("Wechatpay-Signature", signature);
            headers.put("Wechatpay-Serial", WechatPayTestKeys.PUBLIC_KEY_ID);
            answerHeaders = Map.copyOf(headers);
        }

        /** Every call reached the gateway, once: a client that skipped the network would fail here. */
        @TearDown(Level.Iteration)
        public void countRequests() {
            Fixtures.check(
                    requests.get() == calls.get(),
                    "gateway answered " + requests.get() + " requests for " + calls.get() + " calls");
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            server.stop(0);
            System.out.println("\nloopback gateway: " + requests.get() + " requests for " + calls.get() + " calls");
        }

        private static WechatPayConfig config(String baseUrl, boolean nativeRsa) {
            return configBuilder(baseUrl, nativeRsa).build();
        }

        private static WechatPayConfig.Builder configBuilder(String baseUrl, boolean nativeRsa) {
            return WechatPayConfig.builder()
                    .baseUrl(baseUrl)
                    .mchid(WechatPayTestKeys.MCHID)
                    .appId(WechatPayTestKeys.APP_ID)
                    .merchantSerialNumber(WechatPayTestKeys.MERCHANT_SERIAL)
                    .merchantPrivateKey(WechatPayTestKeys.text("merchant_private_key.pem"))
                    .wechatPayPublicKey(
                            WechatPayTestKeys.text("wechatpay_public_key.pem"), WechatPayTestKeys.PUBLIC_KEY_ID)
                    .apiV3Key(WechatPayTestKeys.APIV3_KEY)
                    .nativeRsa(nativeRsa);
        }
    }

    /** The crypto of one round trip alone: the request message as the client signs it, the answer's as it checks it. */
    @State(Scope.Benchmark)
    public static class Floor {
        Signature accpSign;
        Signature accpVerify;
        Signature jdkSign;
        Signature jdkVerify;
        byte[] request;
        byte[] answer;
        String answerSignature;

        @Setup(Level.Trial)
        public void setUp() throws GeneralSecurityException {
            PrivateKey merchant = PemKeys.privateKey(WechatPayTestKeys.text("merchant_private_key.pem"));
            PrivateKey wechatPay = PemKeys.privateKey(WechatPayTestKeys.text("wechatpay_private_key.pem"));
            PublicKey wechatPayPublic = PemKeys.publicKey(WechatPayTestKeys.text("wechatpay_public_key.pem"));
            Provider accp = Fixtures.accpProvider();
            accpSign = initSign(Signature.getInstance("SHA256withRSA", accp), merchant);
            accpVerify = initVerify(Signature.getInstance("SHA256withRSA", accp), wechatPayPublic);
            jdkSign = initSign(Signature.getInstance("SHA256withRSA"), merchant);
            jdkVerify = initVerify(Signature.getInstance("SHA256withRSA"), wechatPayPublic);
            // what wechatpay-client signs for oursPrepay(): same body, a 10-digit timestamp, a 32-character nonce
            String body = requestBody();
            request = ("POST\n" + PATH + "\n1765000000\n0123456789ABCDEFGHIJKLMNOPQRSTUV\n" + body + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            answer =
                    ("1765000000\ncannedAnswerNonce0123456789ABCDE\n" + ANSWER + "\n").getBytes(StandardCharsets.UTF_8);
            Signature s = initSign(Signature.getInstance("SHA256withRSA"), wechatPay);
            s.update(answer);
            answerSignature = Base64.getEncoder().encodeToString(s.sign());
            Fixtures.check(floor(accpSign, accpVerify, this), "ACCP floor verifies");
            Fixtures.check(floor(jdkSign, jdkVerify, this), "JDK floor verifies");
        }

        /** What wechatpay-client writes for oursPrepay()'s order. */
        static String requestBody() {
            return "{\"appid\":\"" + WechatPayTestKeys.APP_ID + "\",\"mchid\":\"" + WechatPayTestKeys.MCHID
                    + "\",\"description\":\"bench\",\"out_trade_no\":\"" + OUT_TRADE_NO + "\",\"notify_url\":\""
                    + NOTIFY_URL + "\",\"amount\":{\"total\":990,\"currency\":\"CNY\"}}";
        }

        private static Signature initSign(Signature s, PrivateKey key) throws GeneralSecurityException {
            s.initSign(key);
            return s;
        }

        private static Signature initVerify(Signature s, PublicKey key) throws GeneralSecurityException {
            s.initVerify(key);
            return s;
        }
    }

    static boolean floor(Signature sign, Signature verify, Floor f) throws GeneralSecurityException {
        sign.update(f.request);
        String authorization = Base64.getEncoder().encodeToString(sign.sign());
        verify.update(f.answer);
        return verify.verify(Base64.getDecoder().decode(f.answerSignature)) && authorization.length() == 344;
    }

    @Benchmark
    public String ours_accp(Gateway g) {
        g.calls.incrementAndGet();
        return oursPrepay(g.oursAccp);
    }

    @Benchmark
    public String ours_accp_pool(Gateway g) {
        g.calls.incrementAndGet();
        return oursPrepay(g.oursAccpPool);
    }

    @Benchmark
    public String ours_accp_okhttp(Gateway g) {
        g.calls.incrementAndGet();
        return oursPrepay(g.oursAccpOkHttp);
    }

    @Benchmark
    public String ours_jdk(Gateway g) {
        g.calls.incrementAndGet();
        return oursPrepay(g.oursJdk);
    }

    @Benchmark
    public String sdk_prepay(Gateway g) {
        g.calls.incrementAndGet();
        return sdkPrepay(g.sdk);
    }

    @Benchmark
    public boolean floor_accp(Floor f) throws GeneralSecurityException {
        return floor(f.accpSign, f.accpVerify, f);
    }

    @Benchmark
    public boolean floor_jdk(Floor f) throws GeneralSecurityException {
        return floor(f.jdkSign, f.jdkVerify, f);
    }

    /** Diagnostic: wechatpay-client, ACCP, everything but the network (the transport hands back the canned answer). */
    @Benchmark
    public String diag_inmemory_accp(Gateway g) {
        return oursPrepay(g.inMemoryAccp);
    }

    /** Diagnostic: the network alone, the client's transport posting a request of the same size, nothing signed. */
    @Benchmark
    public HttpTransport.Answer diag_http_only(Gateway g) throws IOException, InterruptedException {
        g.calls.incrementAndGet();
        return g.transport.send("POST", g.uri, g.requestHeaders, g.requestBody, Duration.ofSeconds(10));
    }

    /** Diagnostic: the network alone on the JDK HttpClient's default executor (a pool). */
    @Benchmark
    public HttpTransport.Answer diag_http_only_pool(Gateway g) throws IOException, InterruptedException {
        g.calls.incrementAndGet();
        return g.pooledTransport.send("POST", g.uri, g.requestHeaders, g.requestBody, Duration.ofSeconds(10));
    }

    /** Diagnostic: the same exchange on OkHttp (the SDK's transport): blocking, on the caller's thread. */
    @Benchmark
    public int diag_http_only_okhttp(Gateway g) throws IOException {
        g.calls.incrementAndGet();
        try (okhttp3.Response response = g.okHttp.newCall(g.okHttpRequest).execute()) {
            return response.body().bytes().length;
        }
    }

    static String oursPrepay(WechatPayClient client) {
        return client.nativePrepay(new Order(OUT_TRADE_NO, "bench", new BigDecimal("9.90"), NOTIFY_URL));
    }

    static String sdkPrepay(NativePayService sdk) {
        PrepayRequest request = new PrepayRequest();
        request.setAppid(WechatPayTestKeys.APP_ID);
        request.setMchid(WechatPayTestKeys.MCHID);
        request.setDescription("bench");
        request.setOutTradeNo(OUT_TRADE_NO);
        request.setNotifyUrl(NOTIFY_URL);
        Amount amount = new Amount();
        amount.setTotal(990);
        request.setAmount(amount);
        return sdk.prepay(request).getCodeUrl();
    }

    /**
     * Response headers spelled as given: the official SDK reads {@code Wechatpay-Timestamp} case-sensitively and
     * {@code Headers.set} would send {@code Wechatpay-timestamp}. JDK 17's {@code putAll} keeps names as given (what
     * alipay-sandbox's http/ExactHeaderNames relies on); later JDKs normalise there too, and then this writes to the
     * map behind {@code Headers} (the fork opens the package).
     */
    static void putExact(Headers target, Map<String, String> headers) {
        Map<String, List<String>> exact = new LinkedHashMap<>();
        headers.forEach((k, v) -> exact.put(k, List.of(v)));
        target.putAll(exact);
        if (!target.containsKey("Wechatpay-Timestamp") || target.keySet().contains("Wechatpay-Timestamp")) {
            return;
        }
        try {
            java.lang.reflect.Field map = Headers.class.getDeclaredField("map");
            map.setAccessible(true);
            @SuppressWarnings("unchecked")
            Map<String, List<String>> inner = (Map<String, List<String>>) map.get(target);
            inner.keySet().removeIf(k -> k.toLowerCase(java.util.Locale.ROOT).startsWith("wechatpay-"));
            inner.putAll(exact);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot keep the case of the Wechatpay-* answer headers", e);
        }
    }
}
