package dev.zhifu.benchmarks;

import com.wechat.pay.java.core.cipher.RSASigner;
import com.wechat.pay.java.core.cipher.RSAVerifier;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RSAPublicKeyNotificationConfig;
import com.wechat.pay.java.core.notification.RequestParam;
import com.wechat.pay.java.service.payments.model.Transaction;
import dev.zhifu.fixtures.WechatPayTestKeys;
import dev.zhifu.wechatpay.WechatPayClient;
import dev.zhifu.wechatpay.WechatPayConfig;
import dev.zhifu.wechatpay.crypto.AeadAes256Gcm;
import dev.zhifu.wechatpay.crypto.PemKeys;
import dev.zhifu.wechatpay.crypto.RsaProvider;
import dev.zhifu.wechatpay.crypto.Sha256WithRsa;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * WeChat Pay API v3, wechatpay-client beside the official SDK 0.2.17 on the same TEST keys: (a) sign the
 * {@code Authorization} message, (b) verify an answer's signature, (c) verify and decrypt a payment
 * notification. Ours with ACCP when present and with the JDK.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@Threads(1)
public class WechatPayBenchmark {

    static final String MESSAGE = "POST\n/v3/pay/transactions/native\n1733572800\n"
            + "593BEC0C930BF1AFEB40B4A08C8FB242\n{\"appid\":\"wx0000000000000001\",\"mchid\":\"1900000001\","
            + "\"description\":\"Coffee\",\"out_trade_no\":\"order-1\",\"notify_url\":\"https://shop.example/n\","
            + "\"amount\":{\"total\":990,\"currency\":\"CNY\"}}\n";

    @State(Scope.Benchmark)
    public static class Keys {
        PrivateKey merchant;
        PrivateKey wechatPay;
        PublicKey wechatPayPublic;
        Sha256WithRsa oursAccp;
        Sha256WithRsa oursJdk;
        RSASigner sdkSigner;
        RSAVerifier sdkVerifier;
        String signature;

        @Setup
        public void setUp() {
            merchant = PemKeys.privateKey(WechatPayTestKeys.text("merchant_private_key.pem"));
            wechatPay = PemKeys.privateKey(WechatPayTestKeys.text("wechatpay_private_key.pem"));
            wechatPayPublic = PemKeys.publicKey(WechatPayTestKeys.text("wechatpay_public_key.pem"));
            oursAccp = new Sha256WithRsa(RsaProvider.preferNative());
            oursJdk = new Sha256WithRsa(RsaProvider.jdk());
            sdkSigner = new RSASigner(WechatPayTestKeys.MERCHANT_SERIAL, merchant);
            sdkVerifier = new RSAVerifier(wechatPayPublic, WechatPayTestKeys.PUBLIC_KEY_ID);
            signature = oursJdk.sign(wechatPay, MESSAGE);
            Fixtures.check(
                    oursJdk.sign(merchant, MESSAGE)
                            .equals(sdkSigner.sign(MESSAGE).getSign()),
                    "same signature");
            Fixtures.check(sdkVerifier.verify(WechatPayTestKeys.PUBLIC_KEY_ID, MESSAGE, signature), "SDK verifies");
        }
    }

    @Benchmark
    public String signOursAccp(Keys k) {
        return k.oursAccp.sign(k.merchant, MESSAGE);
    }

    @Benchmark
    public String signOursJdk(Keys k) {
        return k.oursJdk.sign(k.merchant, MESSAGE);
    }

    @Benchmark
    public String signSdk(Keys k) {
        return k.sdkSigner.sign(MESSAGE).getSign();
    }

    @Benchmark
    public boolean verifyOursAccp(Keys k) {
        return k.oursAccp.verify(k.wechatPayPublic, MESSAGE, k.signature);
    }

    @Benchmark
    public boolean verifyOursJdk(Keys k) {
        return k.oursJdk.verify(k.wechatPayPublic, MESSAGE, k.signature);
    }

    @Benchmark
    public boolean verifySdk(Keys k) {
        return k.sdkVerifier.verify(WechatPayTestKeys.PUBLIC_KEY_ID, MESSAGE, k.signature);
    }

    @State(Scope.Benchmark)
    public static class Notifications {
        WechatPayClient oursAccp;
        WechatPayClient oursJdk;
        NotificationParser sdk;
        Map<String, String> headers;
        String body;
        RequestParam sdkParam;

        @Setup(Level.Trial)
        public void clients() {
            oursAccp = new WechatPayClient(config(true));
            oursJdk = new WechatPayClient(config(false));
            sdk = new NotificationParser(new RSAPublicKeyNotificationConfig.Builder()
                    .publicKey(WechatPayTestKeys.text("wechatpay_public_key.pem"))
                    .publicKeyId(WechatPayTestKeys.PUBLIC_KEY_ID)
                    .apiV3Key(WechatPayTestKeys.APIV3_KEY)
                    .build());
        }

        /** Signed afresh each iteration: both refuse notifications older than five minutes. */
        @Setup(Level.Iteration)
        public void notification() {
            AeadAes256Gcm apiV3 = new AeadAes256Gcm(WechatPayTestKeys.APIV3_KEY);
            String resource = "{\"mchid\":\"1900000001\",\"appid\":\"wx0000000000000001\",\"out_trade_no\":"
                    + "\"order-1\",\"transaction_id\":\"4200000001\",\"trade_type\":\"NATIVE\",\"trade_state\":"
                    + "\"SUCCESS\",\"trade_state_desc\":\"支付成功\",\"bank_type\":\"OTHERS\",\"success_time\":"
                    + "\"2026-12-07T12:00:00+08:00\",\"payer\":{\"openid\":\"o1\"},\"amount\":{\"total\":990,"
                    + "\"payer_total\":990,\"currency\":\"CNY\",\"payer_currency\":\"CNY\"}}";
            body = "{\"id\":\"EV-1\",\"create_time\":\"2026-12-07T12:00:00+08:00\",\"resource_type\":"
                    + "\"encrypt-resource\",\"event_type\":\"TRANSACTION.SUCCESS\",\"summary\":\"支付成功\","
                    + "\"resource\":{\"original_type\":\"transaction\",\"algorithm\":\"AEAD_AES_256_GCM\","
                    + "\"ciphertext\":\"" + apiV3.encrypt("transaction", "n0tifyN0nce1", resource)
                    + "\",\"associated_data\":\"transaction\",\"nonce\":\"n0tifyN0nce1\"}}";
            String timestamp = Long.toString(Instant.now().getEpochSecond());
            String nonce = "benchNonce0123456789";
            String signature = new Sha256WithRsa(RsaProvider.jdk())
                    .sign(
                            PemKeys.privateKey(WechatPayTestKeys.text("wechatpay_private_key.pem")),
                            timestamp + "\n" + nonce + "\n" + body + "\n");
            headers = new LinkedHashMap<>();
            headers.put("Wechatpay-Timestamp", timestamp);
            headers.put("Wechatpay-Nonce", nonce);
            headers.put("Wechatpay-Serial", WechatPayTestKeys.PUBLIC_KEY_ID);
            headers.put("Wechatpay-Signature", signature);
            sdkParam = new RequestParam.Builder()
                    .serialNumber(WechatPayTestKeys.PUBLIC_KEY_ID)
                    .nonce(nonce)
                    .signature(signature)
                    .timestamp(timestamp)
                    .signType("WECHATPAY2-SHA256-RSA2048")
                    .body(body)
                    .build();
            Fixtures.check(
                    "order-1"
                            .equals(oursJdk.transactionNotification(headers, body)
                                    .transaction()
                                    .outTradeNo()),
                    "ours reads the notification");
            Fixtures.check(
                    "order-1".equals(sdk.parse(sdkParam, Transaction.class).getOutTradeNo()), "SDK reads it");
        }

        private static WechatPayConfig config(boolean nativeRsa) {
            return WechatPayConfig.builder()
                    .mchid(WechatPayTestKeys.MCHID)
                    .merchantSerialNumber(WechatPayTestKeys.MERCHANT_SERIAL)
                    .merchantPrivateKey(WechatPayTestKeys.text("merchant_private_key.pem"))
                    .wechatPayPublicKey(
                            WechatPayTestKeys.text("wechatpay_public_key.pem"), WechatPayTestKeys.PUBLIC_KEY_ID)
                    .apiV3Key(WechatPayTestKeys.APIV3_KEY)
                    .baseUrl("http://127.0.0.1:9")
                    .nativeRsa(nativeRsa)
                    .build();
        }
    }

    @Benchmark
    public Object notificationOursAccp(Notifications n) {
        return n.oursAccp.transactionNotification(n.headers, n.body);
    }

    @Benchmark
    public Object notificationOursJdk(Notifications n) {
        return n.oursJdk.transactionNotification(n.headers, n.body);
    }

    @Benchmark
    public Object notificationSdk(Notifications n) {
        return n.sdk.parse(n.sdkParam, Transaction.class);
    }
}
