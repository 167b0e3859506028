package dev.zhifu.benchmarks;

import com.alibaba.fastjson.JSON;
import com.alibaba.fastjson.JSONObject;
import com.alipay.api.AlipayApiException;
import com.alipay.api.DefaultAlipayClient;
import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import dev.zhifu.alipay.AlipayClient;
import dev.zhifu.alipay.AlipayConfig;
import dev.zhifu.alipay.AlipayRequest;
import dev.zhifu.alipay.AlipayResponse;
import dev.zhifu.alipay.HttpTransport;
import dev.zhifu.alipay.RetryPolicy;
import dev.zhifu.alipay.crypto.RsaProvider;
import dev.zhifu.alipay.trade.PagePayRequest;
import dev.zhifu.alipay.trade.PrecreateRequest;
import dev.zhifu.fixtures.Vectors;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inputs every contender gets, all taken from the protocol test vectors (module test-fixtures, resources
 * {@code /vectors}), plus factories for the clients under test. Nothing here talks to a real host: gateways are
 * loopback URLs or in-memory transports.
 */
public final class Fixtures {

    public static final Clock FIXED_CLOCK = Vectors.CLOCK;
    public static final String SDK_TAG = Vectors.SDK_TAG;
    public static final String APP_ID = Vectors.APP_ID;
    /** Never contacted: page pay is only signed, and the in-memory transport ignores the URL. */
    public static final String OFFLINE_GATEWAY = "https://openapi.alipay.com/gateway.do";

    // keys (TEST ONLY)
    public static final String APP_PRIVATE_KEY_PKCS8 =
            Vectors.text("keys/app_private_key_pkcs8.txt").strip();
    public static final String ALIPAY_PUBLIC_KEY =
            Vectors.text("keys/alipay_public_key.txt").strip();

    // (a), (d), (e): the precreate call of 04_gateway_responses.json
    public static final String PRECREATE_OUT_TRADE_NO = "F2F20240601120000001";
    public static final BigDecimal PRECREATE_AMOUNT = new BigDecimal("88.88");
    public static final String PRECREATE_SUBJECT = "当面付 扫码";
    public static final String NOTIFY_URL = "https://merchant.example.com/alipay/notify";
    public static final String PRECREATE_RESPONSE_BODY;

    // (b): the page pay of 02_page_wap_pay.json (case page_pay_biz_content_utf8)
    public static final String PAGE_OUT_TRADE_NO = "PC20240601120000001";
    public static final BigDecimal PAGE_AMOUNT = new BigDecimal("88.88");
    public static final String PAGE_SUBJECT = "测试商品 iPhone 15 <Pro> & \"Max\"";
    public static final String PAGE_RETURN_URL = "https://merchant.example.com/alipay/return?from=pc&lang=zh";
    public static final JSONObject PAGE_PAY_VECTOR;

    // (c): the 25 signed fields (+ sign, sign_type) of 05_notifications.json case trade_success_page_pay
    public static final Map<String, String> NOTIFICATION;
    public static final byte[] NOTIFICATION_FORM;
    public static final String NOTIFICATION_STRING_TO_VERIFY;

    // (d): the app pay result of 03_app_pay.json case sync_result_valid
    public static final Map<String, String> APP_SYNC_RESULT;

    static {
        JSONObject gateway = JSON.parseObject(Vectors.text("04_gateway_responses.json"));
        PRECREATE_RESPONSE_BODY = gateway.getJSONObject("execute_http_request").getString("response_body");

        PAGE_PAY_VECTOR = caseById(JSON.parseObject(Vectors.text("02_page_wap_pay.json")), "page_pay_biz_content_utf8");

        JSONObject notification =
                caseById(JSON.parseObject(Vectors.text("05_notifications.json")), "trade_success_page_pay");
        Map<String, String> params = new LinkedHashMap<>();
        notification.getJSONObject("params").forEach((k, v) -> params.put(k, (String) v));
        NOTIFICATION = Map.copyOf(params);
        NOTIFICATION_FORM =
                notification.getString("raw_http_body_form_urlencoded").getBytes(StandardCharsets.US_ASCII);
        NOTIFICATION_STRING_TO_VERIFY = notification.getString("string_to_verify");
        long signedFields = params.keySet().stream()
                .filter(k -> !k.equals("sign") && !k.equals("sign_type"))
                .count();
        if (signedFields != 25) {
            throw new IllegalStateException("expected a 25-field notification, got " + signedFields);
        }

        JSONObject app = JSON.parseObject(Vectors.text("03_app_pay.json"));
        JSONObject sync = null;
        for (Object c : app.getJSONArray("parse_app_sync_result_cases")) {
            if ("sync_result_valid".equals(((JSONObject) c).getString("id"))) {
                sync = (JSONObject) c;
            }
        }
        Map<String, String> syncMap = new LinkedHashMap<>();
        sync.getJSONObject("input_map").forEach((k, v) -> syncMap.put(k, (String) v));
        APP_SYNC_RESULT = Map.copyOf(syncMap);
    }

    private Fixtures() {}

    // ---------------------------------------------------------------- our client

    /**
     * {@code nativeRsa} for RSA through ACCP; fails if ACCP did not load, so a "with ACCP" figure is never silently
     * the JDK's.
     */
    public static boolean accp() {
        RsaProvider provider = RsaProvider.preferNative();
        if (!provider.isNative()) {
            throw new IllegalStateException("ACCP is not usable here (provider " + provider.name() + ")");
        }
        return true;
    }

    /** {@code nativeRsa} for RSA through the JDK's providers. */
    public static boolean jdk() {
        return false;
    }

    public static AlipayConfig.Builder ourConfig(boolean nativeRsa, String gateway) {
        return AlipayConfig.builder()
                .appId(APP_ID)
                .gatewayUrl(gateway)
                .appPrivateKey(APP_PRIVATE_KEY_PKCS8)
                .alipayPublicKey(ALIPAY_PUBLIC_KEY)
                .nativeRsa(nativeRsa)
                .clock(FIXED_CLOCK)
                .sdkTag(SDK_TAG)
                .retryPolicy(RetryPolicy.none())
                .connectTimeout(Duration.ofSeconds(3))
                .readTimeout(Duration.ofSeconds(15));
    }

    public static AlipayClient ourClient(boolean nativeRsa, String gateway) {
        return new AlipayClient(ourConfig(nativeRsa, gateway).build());
    }

    /** Our client whose transport answers every POST with {@code body} from memory (no socket). */
    public static AlipayClient ourInMemoryClient(boolean nativeRsa, String body) {
        return new AlipayClient(ourConfig(nativeRsa, OFFLINE_GATEWAY)
                .transport(new FixedAnswer(body))
                .build());
    }

    public static PrecreateRequest precreate() {
        return PrecreateRequest.of(PRECREATE_OUT_TRADE_NO, PRECREATE_AMOUNT, PRECREATE_SUBJECT)
                .withNotifyUrl(NOTIFY_URL);
    }

    public static PagePayRequest pagePay() {
        return PagePayRequest.of(PAGE_OUT_TRADE_NO, PAGE_AMOUNT, PAGE_SUBJECT)
                .withReturnUrl(PAGE_RETURN_URL)
                .withNotifyUrl(NOTIFY_URL);
    }

    /** An {@link HttpTransport} that answers from memory, for the response path without a socket. */
    public static final class FixedAnswer implements HttpTransport {
        private final byte[] body;

        public FixedAnswer(String body) {
            this.body = body.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Answer post(URI uri, String contentType, byte[] requestBody, Duration timeout) {
            return new Answer(200, "text/html;charset=utf-8", body);
        }

        @Override
        public StreamedAnswer get(URI uri, Duration timeout) {
            throw new UnsupportedOperationException("not used by the benchmarks");
        }
    }

    /**
     * A page pay request carrying the vector's exact biz_content text, used once at set-up to prove that our
     * client, with the same inputs and clock, produces the SDK's form byte for byte.
     */
    public static AlipayRequest<Void> vectorPagePay() {
        String biz = PAGE_PAY_VECTOR.getJSONObject("get_url_params_decoded").getString("biz_content");
        return new AlipayRequest<>() {
            @Override
            public String method() {
                return "alipay.trade.page.pay";
            }

            @Override
            public Map<String, Object> bizContent() {
                return Map.of();
            }

            @Override
            public String bizContentJson() {
                return biz;
            }

            @Override
            public String notifyUrl() {
                return NOTIFY_URL;
            }

            @Override
            public String returnUrl() {
                return PAGE_RETURN_URL;
            }

            @Override
            public Void read(AlipayResponse response) {
                throw new UnsupportedOperationException();
            }
        };
    }

    // ---------------------------------------------------------------- the official SDK

    /** The SDK client as its README builds it: key strings, JSON, UTF-8, RSA2. */
    public static DefaultAlipayClient sdkClient(String gateway) {
        return new DefaultAlipayClient(
                gateway, APP_ID, APP_PRIVATE_KEY_PKCS8, "json", "UTF-8", ALIPAY_PUBLIC_KEY, "RSA2");
    }

    // ---------------------------------------------------------------- plain JCA

    public static PrivateKey appPrivateKey() {
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(APP_PRIVATE_KEY_PKCS8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PublicKey alipayPublicKey() {
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(ALIPAY_PUBLIC_KEY)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Provider accpProvider() {
        AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
        if (accp.getLoadingError() != null) {
            throw new IllegalStateException("ACCP failed to load", accp.getLoadingError());
        }
        return accp;
    }

    /** {@code SHA256withRSA} from {@code provider} (null: the JDK default), initialised once with a cached key. */
    public static Signature signer(Provider provider) {
        try {
            Signature s = provider == null
                    ? Signature.getInstance("SHA256withRSA")
                    : Signature.getInstance("SHA256withRSA", provider);
            s.initSign(appPrivateKey());
            return s;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Signature verifier(Provider provider) {
        try {
            Signature s = provider == null
                    ? Signature.getInstance("SHA256withRSA")
                    : Signature.getInstance("SHA256withRSA", provider);
            s.initVerify(alipayPublicKey());
            return s;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- helpers

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("fixture check failed: " + what);
        }
    }

    static <T> T sdk(SdkCall<T> call) {
        try {
            return call.run();
        } catch (AlipayApiException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    interface SdkCall<T> {
        T run() throws AlipayApiException;
    }

    private static JSONObject caseById(JSONObject file, String id) {
        for (Object c : file.getJSONArray("cases")) {
            if (id.equals(((JSONObject) c).getString("id"))) {
                return (JSONObject) c;
            }
        }
        throw new IllegalStateException("no vector case " + id);
    }

    /**
     * An OkHttp client for the official WeChat Pay SDK whose calls to {@code api.mch.weixin.qq.com} go to {@code
     * baseUrl} instead, path and query unchanged: a loopback gateway or the in-JVM sandbox.
     */
    static okhttp3.OkHttpClient redirectedTo(String baseUrl) {
        java.net.URI base = java.net.URI.create(baseUrl);
        return new okhttp3.OkHttpClient.Builder()
                .addInterceptor(chain -> chain.proceed(chain.request()
                        .newBuilder()
                        .url(chain.request()
                                .url()
                                .newBuilder()
                                .scheme("http")
                                .host(base.getHost())
                                .port(base.getPort())
                                .build())
                        .build()))
                .build();
    }
}
