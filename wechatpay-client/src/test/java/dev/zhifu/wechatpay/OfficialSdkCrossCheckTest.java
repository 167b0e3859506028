package dev.zhifu.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.wechat.pay.java.core.RSAConfig;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.auth.WechatPay2Credential;
import com.wechat.pay.java.core.auth.WechatPay2Validator;
import com.wechat.pay.java.core.certificate.CertificateDownloader;
import com.wechat.pay.java.core.certificate.CertificateHandler;
import com.wechat.pay.java.core.cipher.AeadAesCipher;
import com.wechat.pay.java.core.cipher.RSAPrivacyDecryptor;
import com.wechat.pay.java.core.cipher.RSAPrivacyEncryptor;
import com.wechat.pay.java.core.cipher.RSASigner;
import com.wechat.pay.java.core.cipher.RSAVerifier;
import com.wechat.pay.java.core.http.HttpHeaders;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RSAPublicKeyNotificationConfig;
import com.wechat.pay.java.core.notification.RequestParam;
import com.wechat.pay.java.service.payments.app.AppServiceExtension;
import com.wechat.pay.java.service.payments.jsapi.JsapiServiceExtension;
import com.wechat.pay.java.service.payments.jsapi.model.Amount;
import com.wechat.pay.java.service.payments.jsapi.model.Payer;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayRequest;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayWithRequestPaymentResponse;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.refund.model.RefundNotification;
import dev.zhifu.fixtures.WechatPayTestKeys;
import dev.zhifu.wechatpay.crypto.AeadAes256Gcm;
import dev.zhifu.wechatpay.crypto.RsaOaep;
import dev.zhifu.wechatpay.crypto.RsaProvider;
import dev.zhifu.wechatpay.crypto.Sha256WithRsa;
import dev.zhifu.wechatpay.notify.NotificationSigner;
import dev.zhifu.wechatpay.notify.TransactionNotification;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The client against the official SDK {@code wechatpay-java 0.2.17}, on the same inputs: what one signs the other
 * produces byte for byte or verifies, what one encrypts the other decrypts (docs/wechatpay-protocol.md#s3 to #s7,
 * #s10).
 */
class OfficialSdkCrossCheckTest {

    private static final Pattern AUTH_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Sha256WithRsa RSA = new Sha256WithRsa(RsaProvider.jdk());
    private static final RSASigner SDK_SIGNER =
            new RSASigner(WechatPayTestKeys.MERCHANT_SERIAL, Fixtures.MERCHANT_PRIVATE);
    private static final RequestSigner OURS = new RequestSigner(
            WechatPayTestKeys.MCHID, WechatPayTestKeys.MERCHANT_SERIAL, Fixtures.MERCHANT_PRIVATE, RSA);

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "GET|https://api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/order-1?mchid=1900000001|",
                "POST|https://api.mch.weixin.qq.com/v3/pay/transactions/native|{\"appid\":\"wx1\",\"description\":\"中文 & 符号\"}",
                "POST|https://api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/a%2Fb/close|{\"mchid\":\"1900000001\"}",
                "GET|https://api.mch.weixin.qq.com/v3/bill/tradebill?bill_date=2026-12-06&bill_type=ALL&tar_type=GZIP|"
            })
    void authorizationHeaderIsTheSdksByteForByte(String method, String url, String body) {
        URI uri = URI.create(url);
        String sdk = new WechatPay2Credential(WechatPayTestKeys.MCHID, SDK_SIGNER)
                .getAuthorization(uri, method, body == null ? "" : body);
        // the SDK draws its own nonce and reads the clock; ours is driven with the same two values
        Map<String, String> params = params(sdk);

        String ours =
                OURS.authorization(method, uri, body, Long.parseLong(params.get("timestamp")), params.get("nonce_str"));

        assertThat(ours).isEqualTo(sdk);
    }

    @Test
    void signaturesAreTheSdksByteForByte() {
        String message = "wx0000000000000001\n1733572800\nnonce123\nprepay_id=wx201410272009395522657a690389285100\n";

        assertThat(RSA.sign(Fixtures.MERCHANT_PRIVATE, message))
                .isEqualTo(SDK_SIGNER.sign(message).getSign());
    }

    @Test
    void answersTheClientAcceptsTheSdkAcceptsAndTheOtherWayRound() {
        String body = "{\"code_url\":\"weixin://wxpay/bizpayurl?pr=abc\"}";
        Map<String, String> headers = WechatPaySide.publicKeyMode().sign(body, Instant.now());
        WechatPay2Validator sdk = new WechatPay2Validator(new RSAVerifier(
                dev.zhifu.wechatpay.crypto.PemKeys.publicKey(Fixtures.WECHATPAY_PUBLIC_KEY),
                WechatPayTestKeys.PUBLIC_KEY_ID));
        AnswerVerifier ours = new AnswerVerifier(
                RSA,
                Clock.systemUTC(),
                WechatPayTestKeys.PUBLIC_KEY_ID,
                dev.zhifu.wechatpay.crypto.PemKeys.publicKey(Fixtures.WECHATPAY_PUBLIC_KEY),
                null);

        assertThat(sdk.validate(new HttpHeaders(headers), body)).isTrue();
        ours.verify(headers, body, true);
        assertThat(sdk.validate(new HttpHeaders(headers), body + " ")).isFalse();
        assertThatThrownBy(() -> ours.verify(headers, body + " ", true))
                .isInstanceOf(WechatPaySignatureException.class);
    }

    @Test
    void staleAnswersAreRefusedByBothAtTheSameBound() {
        String body = "{}";
        Instant sixMinutesAgo = Instant.now().minusSeconds(360);
        Map<String, String> headers = WechatPaySide.publicKeyMode().sign(body, sixMinutesAgo);
        WechatPay2Validator sdk = new WechatPay2Validator(new RSAVerifier(
                dev.zhifu.wechatpay.crypto.PemKeys.publicKey(Fixtures.WECHATPAY_PUBLIC_KEY),
                WechatPayTestKeys.PUBLIC_KEY_ID));

        assertThatThrownBy(() -> sdk.validate(new HttpHeaders(headers), body))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AnswerVerifier(
                                RSA,
                                Clock.systemUTC(),
                                WechatPayTestKeys.PUBLIC_KEY_ID,
                                dev.zhifu.wechatpay.crypto.PemKeys.publicKey(Fixtures.WECHATPAY_PUBLIC_KEY),
                                null)
                        .verify(headers, body, true))
                .isInstanceOf(WechatPaySignatureException.class)
                .hasMessageContaining("five minutes");
    }

    @Test
    void aeadDecryptionAgreesBothWays() {
        AeadAes256Gcm ours = new AeadAes256Gcm(WechatPayTestKeys.APIV3_KEY);
        AeadAesCipher sdk = new AeadAesCipher(WechatPayTestKeys.APIV3_KEY.getBytes(StandardCharsets.UTF_8));
        String plaintext = "{\"out_trade_no\":\"订单-1\"}";

        String sealed = ours.encrypt("transaction", "0123456789ab", plaintext);

        assertThat(sdk.decrypt(
                        "transaction".getBytes(StandardCharsets.UTF_8),
                        "0123456789ab".getBytes(StandardCharsets.UTF_8),
                        java.util.Base64.getDecoder().decode(sealed)))
                .isEqualTo(plaintext);
        String sdkSealed = sdk.encrypt(
                "certificate".getBytes(StandardCharsets.UTF_8),
                "ba9876543210".getBytes(StandardCharsets.UTF_8),
                plaintext.getBytes(StandardCharsets.UTF_8));
        assertThat(ours.decrypt("certificate", "ba9876543210", sdkSealed)).isEqualTo(plaintext);
        assertThat(ours.encrypt("certificate", "ba9876543210", plaintext)).isEqualTo(sdkSealed);
    }

    @Test
    void notificationsParseToTheSameTransactionAsTheSdks() {
        String body = WechatPaySide.notificationBody(
                "EV-2026-1",
                "TRANSACTION.SUCCESS",
                "transaction",
                WechatPaySide.transactionJson("order-notify-1", 8888, "SUCCESS"));
        Map<String, String> headers = WechatPaySide.publicKeyMode().sign(body, Instant.now());
        NotificationParser sdk = new NotificationParser(new RSAPublicKeyNotificationConfig.Builder()
                .publicKey(Fixtures.WECHATPAY_PUBLIC_KEY)
                .publicKeyId(WechatPayTestKeys.PUBLIC_KEY_ID)
                .apiV3Key(WechatPayTestKeys.APIV3_KEY)
                .build());
        WechatPayClient client =
                new WechatPayClient(Fixtures.publicKeyMode("http://127.0.0.1:9").build());

        Transaction theirs = sdk.parse(requestParam(headers, body), Transaction.class);
        TransactionNotification ours = client.transactionNotification(headers, body);

        assertThat(ours.id()).isEqualTo("EV-2026-1");
        assertThat(ours.transaction().outTradeNo()).isEqualTo(theirs.getOutTradeNo());
        assertThat(ours.transaction().transactionId()).isEqualTo(theirs.getTransactionId());
        assertThat(ours.transaction().tradeState())
                .isEqualTo(theirs.getTradeState().name());
        assertThat(ours.transaction().payerOpenid()).isEqualTo(theirs.getPayer().getOpenid());
        assertThat(ours.transaction().total().movePointRight(2).intValueExact())
                .isEqualTo(theirs.getAmount().getTotal());
        assertThat(ours.transaction().successTime()).isEqualTo(theirs.getSuccessTime());
    }

    @Test
    void notificationsFromTheSignerForMerchantsTestsReadTheSameInTheSdk() {
        NotificationSigner signer = new NotificationSigner(
                WechatPayTestKeys.text("wechatpay_private_key.pem"),
                WechatPayTestKeys.PUBLIC_KEY_ID,
                WechatPayTestKeys.APIV3_KEY);
        NotificationSigner.SignedNotification signed = signer.sign(
                "EV-\"quoted\"",
                "TRANSACTION.SUCCESS",
                "transaction",
                WechatPaySide.transactionJson("order-signer-1", 1, "SUCCESS"),
                Instant.now());
        NotificationParser sdk = new NotificationParser(new RSAPublicKeyNotificationConfig.Builder()
                .publicKey(Fixtures.WECHATPAY_PUBLIC_KEY)
                .publicKeyId(WechatPayTestKeys.PUBLIC_KEY_ID)
                .apiV3Key(WechatPayTestKeys.APIV3_KEY)
                .build());
        WechatPayClient client =
                new WechatPayClient(Fixtures.publicKeyMode("http://127.0.0.1:9").build());

        Transaction theirs = sdk.parse(requestParam(signed.headers(), signed.body()), Transaction.class);
        TransactionNotification ours = client.transactionNotification(signed.headers(), signed.body());

        assertThat(theirs.getOutTradeNo()).isEqualTo("order-signer-1");
        assertThat(ours.transaction().outTradeNo()).isEqualTo("order-signer-1");
        assertThat(ours.id()).isEqualTo("EV-\"quoted\"");
    }

    @Test
    void refundNotificationsParseToTheSameRefundAsTheSdks() {
        String body = WechatPaySide.notificationBody(
                "EV-2026-2",
                "REFUND.SUCCESS",
                "refund",
                WechatPaySide.refundNotificationJson("order-notify-2", "refund-notify-2", 50, 100));
        Map<String, String> headers = WechatPaySide.publicKeyMode().sign(body, Instant.now());
        NotificationParser sdk = new NotificationParser(new RSAPublicKeyNotificationConfig.Builder()
                .publicKey(Fixtures.WECHATPAY_PUBLIC_KEY)
                .publicKeyId(WechatPayTestKeys.PUBLIC_KEY_ID)
                .apiV3Key(WechatPayTestKeys.APIV3_KEY)
                .build());
        WechatPayClient client =
                new WechatPayClient(Fixtures.publicKeyMode("http://127.0.0.1:9").build());

        RefundNotification theirs = sdk.parse(requestParam(headers, body), RefundNotification.class);
        var ours = client.refundNotification(headers, body).refund();

        assertThat(ours.outRefundNo()).isEqualTo(theirs.getOutRefundNo());
        assertThat(ours.refundId()).isEqualTo(theirs.getRefundId());
        assertThat(ours.status()).isEqualTo(theirs.getRefundStatus().name());
        assertThat(ours.refund().movePointRight(2).longValueExact())
                .isEqualTo(theirs.getAmount().getRefund());
        assertThat(ours.userReceivedAccount()).isEqualTo(theirs.getUserReceivedAccount());
    }

    @Test
    void sensitiveFieldsTheClientEncryptsTheSdkDecrypts() {
        WechatPayClient client =
                new WechatPayClient(Fixtures.publicKeyMode("http://127.0.0.1:9").build());

        WechatPayClient.EncryptedField field = client.encrypt("张三");

        assertThat(field.serial()).isEqualTo(WechatPayTestKeys.PUBLIC_KEY_ID);
        assertThat(new RSAPrivacyDecryptor(Fixtures.WECHATPAY_PRIVATE).decrypt(field.ciphertext()))
                .isEqualTo("张三");
        String sdkSealed = new RSAPrivacyEncryptor(
                        dev.zhifu.wechatpay.crypto.PemKeys.publicKey(Fixtures.WECHATPAY_PUBLIC_KEY),
                        WechatPayTestKeys.PUBLIC_KEY_ID)
                .encrypt("李四");
        assertThat(RsaOaep.decrypt(Fixtures.WECHATPAY_PRIVATE, sdkSealed)).isEqualTo("李四");
    }

    @Test
    void jsapiParametersAreTheSdksForTheSameNonceAndTime() throws Exception {
        try (LoopbackGateway gateway = new LoopbackGateway(WechatPaySide.publicKeyMode(), Clock.systemUTC())) {
            JsapiServiceExtension sdk = new JsapiServiceExtension.Builder()
                    .config(sdkConfig())
                    .httpClient(new SdkLoopbackHttpClient(sdkConfig(), gateway.url()))
                    .build();
            PrepayRequest request = new PrepayRequest();
            request.setAppid(WechatPayTestKeys.APP_ID);
            request.setMchid(WechatPayTestKeys.MCHID);
            request.setDescription("JSAPI");
            request.setOutTradeNo("order-sdk-jsapi");
            request.setNotifyUrl("https://merchant.example/notify");
            Amount amount = new Amount();
            amount.setTotal(1);
            request.setAmount(amount);
            Payer payer = new Payer();
            payer.setOpenid("oOpenId1");
            request.setPayer(payer);

            PrepayWithRequestPaymentResponse theirs = sdk.prepayWithRequestPayment(request);

            assertThat(theirs.getPackageVal()).isEqualTo("prepay_id=wxorder-sdk-jsapi");
            assertThat(OURS.signLines(
                            theirs.getAppId(), theirs.getTimeStamp(), theirs.getNonceStr(), theirs.getPackageVal()))
                    .isEqualTo(theirs.getPaySign());
            assertThat(theirs.getSignType()).isEqualTo("RSA");
        }
    }

    @Test
    void appParametersAreTheSdksForTheSameNonceAndTime() throws Exception {
        try (LoopbackGateway gateway = new LoopbackGateway(WechatPaySide.publicKeyMode(), Clock.systemUTC())) {
            AppServiceExtension sdk = new AppServiceExtension.Builder()
                    .config(sdkConfig())
                    .httpClient(new SdkLoopbackHttpClient(sdkConfig(), gateway.url()))
                    .build();
            var request = new com.wechat.pay.java.service.payments.app.model.PrepayRequest();
            request.setAppid(WechatPayTestKeys.APP_ID);
            request.setMchid(WechatPayTestKeys.MCHID);
            request.setDescription("App");
            request.setOutTradeNo("order-sdk-app1");
            request.setNotifyUrl("https://merchant.example/notify");
            var amount = new com.wechat.pay.java.service.payments.app.model.Amount();
            amount.setTotal(1);
            request.setAmount(amount);

            var theirs = sdk.prepayWithRequestPayment(request);

            assertThat(theirs.getPackageVal()).isEqualTo("Sign=WXPay");
            assertThat(theirs.getPartnerId()).isEqualTo(WechatPayTestKeys.MCHID);
            assertThat(OURS.signLines(
                            theirs.getAppid(), theirs.getTimestamp(), theirs.getNonceStr(), theirs.getPrepayId()))
                    .isEqualTo(theirs.getSign());
        }
    }

    @Test
    void platformCertificateModeAnswersVerifyWithTheSdkToo() {
        String body = "{\"prepay_id\":\"wx1\"}";
        Map<String, String> headers = WechatPaySide.platform().sign(body, Instant.now());
        RSAConfig sdk = new RSAConfig.Builder()
                .merchantId(WechatPayTestKeys.MCHID)
                .privateKey(Fixtures.MERCHANT_KEY)
                .merchantSerialNumber(WechatPayTestKeys.MERCHANT_SERIAL)
                .wechatPayCertificates(Fixtures.PLATFORM_CERT)
                .build();
        WechatPayClient ours = new WechatPayClient(Fixtures.merchant("http://127.0.0.1:9")
                .platformCertificate(Fixtures.PLATFORM_CERT)
                .build());
        AnswerVerifier verifier = new AnswerVerifier(
                RSA,
                Clock.systemUTC(),
                null,
                null,
                new PlatformCertificates(
                        java.util.List.of(dev.zhifu.wechatpay.crypto.PemKeys.certificate(Fixtures.PLATFORM_CERT)),
                        Clock.systemUTC(),
                        null));

        assertThat(sdk.createValidator().validate(new HttpHeaders(headers), body))
                .isTrue();
        verifier.verify(headers, body, true);
        assertThat(ours.config().downloadsPlatformCertificates()).isFalse();
    }

    @Test
    void theCertificateDownloadTheClientReadsTheSdksDownloaderReadsAlike() throws Exception {
        try (LoopbackGateway gateway = new LoopbackGateway(WechatPaySide.platform(), Clock.systemUTC())) {
            gateway.platformCertificates.add(new String[] {Fixtures.PLATFORM_CERT, WechatPayTestKeys.PLATFORM_SERIAL});
            gateway.platformCertificates.add(
                    new String[] {Fixtures.PLATFORM_ROTATED_CERT, WechatPayTestKeys.PLATFORM_ROTATED_SERIAL});
            RSAConfig sdkConfig = new RSAConfig.Builder()
                    .merchantId(WechatPayTestKeys.MCHID)
                    .privateKey(Fixtures.MERCHANT_KEY)
                    .merchantSerialNumber(WechatPayTestKeys.MERCHANT_SERIAL)
                    .wechatPayCertificates(Fixtures.PLATFORM_CERT)
                    .build();
            Map<String, java.security.cert.X509Certificate> theirs = new CertificateDownloader.Builder()
                    .downloadUrl("https://api.mch.weixin.qq.com/v3/certificates")
                    .httpClient(new SdkLoopbackHttpClient(sdkConfig, gateway.url()))
                    .aeadCipher(new AeadAesCipher(WechatPayTestKeys.APIV3_KEY.getBytes(StandardCharsets.UTF_8)))
                    .certificateHandler(X509_PEM)
                    .build()
                    .download();
            WechatPayClient ours =
                    new WechatPayClient(Fixtures.certificateMode(gateway.url()).build());

            ours.nativePrepay(new dev.zhifu.wechatpay.payments.Order(
                    "order-sdk-cert", "C", java.math.BigDecimal.ONE, "https://merchant.example/n"));

            assertThat(theirs.keySet())
                    .containsExactlyInAnyOrder(
                            WechatPayTestKeys.PLATFORM_SERIAL, WechatPayTestKeys.PLATFORM_ROTATED_SERIAL);
            assertThat(theirs.get(WechatPayTestKeys.PLATFORM_SERIAL).getEncoded())
                    .isEqualTo(dev.zhifu.wechatpay.crypto.PemKeys.certificate(Fixtures.PLATFORM_CERT)
                            .getEncoded());
            assertThat(gateway.received)
                    .extracting(LoopbackGateway.Received::pathAndQuery)
                    .containsExactly("/v3/certificates", "/v3/certificates", "/v3/pay/transactions/native");
        }
    }

    /** The SDK's own handler is package-private; the download and decryption under test stay the SDK's. */
    private static final CertificateHandler X509_PEM = new CertificateHandler() {
        @Override
        public java.security.cert.X509Certificate generateCertificate(String pem) {
            return dev.zhifu.wechatpay.crypto.PemKeys.certificate(pem);
        }

        @Override
        public void validateCertPath(java.security.cert.X509Certificate certificate) {
            // self-signed TEST certificates: no chain to WeChat Pay's root to check
        }
    };

    private static RSAPublicKeyConfig sdkConfig() {
        return new RSAPublicKeyConfig.Builder()
                .merchantId(WechatPayTestKeys.MCHID)
                .privateKey(Fixtures.MERCHANT_KEY)
                .merchantSerialNumber(WechatPayTestKeys.MERCHANT_SERIAL)
                .publicKey(Fixtures.WECHATPAY_PUBLIC_KEY)
                .publicKeyId(WechatPayTestKeys.PUBLIC_KEY_ID)
                .apiV3Key(WechatPayTestKeys.APIV3_KEY)
                .build();
    }

    private static RequestParam requestParam(Map<String, String> headers, String body) {
        return new RequestParam.Builder()
                .serialNumber(headers.get("Wechatpay-Serial"))
                .nonce(headers.get("Wechatpay-Nonce"))
                .signature(headers.get("Wechatpay-Signature"))
                .timestamp(headers.get("Wechatpay-Timestamp"))
                .signType("WECHATPAY2-SHA256-RSA2048")
                .body(body)
                .build();
    }

    private static Map<String, String> params(String authorization) {
        Map<String, String> params = new java.util.HashMap<>();
        Matcher m = AUTH_PARAM.matcher(authorization);
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        return params;
    }
}
