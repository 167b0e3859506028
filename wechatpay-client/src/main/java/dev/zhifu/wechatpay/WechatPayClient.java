package dev.zhifu.wechatpay;

import dev.zhifu.wechatpay.crypto.PemKeys;
import dev.zhifu.wechatpay.crypto.RsaOaep;
import dev.zhifu.wechatpay.crypto.Sha256WithRsa;
import dev.zhifu.wechatpay.notify.Notification;
import dev.zhifu.wechatpay.notify.OtherNotification;
import dev.zhifu.wechatpay.notify.RefundNotification;
import dev.zhifu.wechatpay.notify.TransactionNotification;
import dev.zhifu.wechatpay.payments.AppPayParameters;
import dev.zhifu.wechatpay.payments.BillType;
import dev.zhifu.wechatpay.payments.BillUrl;
import dev.zhifu.wechatpay.payments.FundAccount;
import dev.zhifu.wechatpay.payments.JsapiPayParameters;
import dev.zhifu.wechatpay.payments.Order;
import dev.zhifu.wechatpay.payments.Refund;
import dev.zhifu.wechatpay.payments.RefundRequest;
import dev.zhifu.wechatpay.payments.Transaction;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * WeChat Pay API v3 for one merchant: prepay (Native, JSAPI and mini program, H5, app), query, close, refund,
 * bills, notifications and a generic signed call for the rest. Thread-safe; one per merchant, built from a
 * {@link WechatPayConfig}. Every answer is verified before it is returned (docs/wechatpay-protocol.md#s4); failures
 * are {@link WechatPayException}s that say whether the outcome is unknown, bad arguments
 * {@link IllegalArgumentException}s.
 */
public final class WechatPayClient {

    /** WeChat Pay's times carry seconds and an offset; OffsetDateTime.toString() drops zero seconds. */
    private static final java.time.format.DateTimeFormatter RFC3339_SECONDS =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private final WechatPayConfig config;
    private final RequestSigner signer;
    private final AnswerVerifier verifier;
    private final PlatformCertificates certificates;
    private final SignedExchange exchange;
    private final NotificationReader notifications;
    private final BillDownload bills;

    public WechatPayClient(WechatPayConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        Sha256WithRsa rsa = new Sha256WithRsa(config.rsaProvider());
        this.signer =
                new RequestSigner(config.mchid(), config.merchantSerialNumber(), config.merchantPrivateKey(), rsa);
        boolean certificateMode = config.downloadsPlatformCertificates()
                || !config.platformCertificates().isEmpty();
        this.certificates = certificateMode
                ? new PlatformCertificates(
                        config.platformCertificates(),
                        config.clock(),
                        config.downloadsPlatformCertificates() ? this::downloadCertificates : null)
                : null;
        this.verifier = new AnswerVerifier(
                rsa, config.clock(), config.publicKeyId(), config.wechatPayPublicKey(), certificates);
        this.exchange = new SignedExchange(
                config.baseUrl(),
                config.transport(),
                config.readTimeout(),
                config.clock(),
                signer,
                verifier,
                this::requestSerial);
        this.notifications = new NotificationReader(verifier, config.apiV3Cipher());
        this.bills = new BillDownload(config.baseUrl(), exchange);
    }

    public WechatPayConfig config() {
        return config;
    }

    /** Native: the {@code code_url} to show as a QR code. */
    public String nativePrepay(Order order) {
        return answerField(post("/v3/pay/transactions/native", prepayBody(order)), "code_url");
    }

    /** JSAPI and mini program: prepay for the payer {@code openid}, signed for the page's JavaScript API. */
    public JsapiPayParameters jsapiPrepay(Order order, String openid) {
        if (openid == null || openid.isBlank() || openid.length() > 128) {
            throw new IllegalArgumentException("openid is required (at most 128 characters)");
        }
        Map<String, Object> body = prepayBody(order);
        body.put("payer", Map.of("openid", openid));
        String prepayId = answerField(post("/v3/pay/transactions/jsapi", body), "prepay_id");
        return jsapiParameters(prepayId);
    }

    /** The page's parameters for an existing {@code prepay_id}, signed now (docs/wechatpay-protocol.md#s10). */
    public JsapiPayParameters jsapiParameters(String prepayId) {
        String appId = requireAppId();
        String timeStamp = Long.toString(config.clock().instant().getEpochSecond());
        String nonce = signer.nonce();
        String packageValue = "prepay_id=" + Objects.requireNonNull(prepayId, "prepayId");
        String paySign = signer.signLines(appId, timeStamp, nonce, packageValue);
        return new JsapiPayParameters(appId, timeStamp, nonce, packageValue, "RSA", paySign);
    }

    /** H5 (mobile browsers outside WeChat): the {@code h5_url} to redirect the payer to. */
    public String h5Prepay(Order order, String payerClientIp) {
        if (payerClientIp == null || !payerClientIp.matches("[0-9A-Fa-f:.]{2,45}")) {
            throw new IllegalArgumentException("payerClientIp must be an IPv4 or IPv6 address: " + payerClientIp);
        }
        Map<String, Object> body = prepayBody(order);
        Map<String, Object> scene = new LinkedHashMap<>();
        scene.put("payer_client_ip", payerClientIp);
        scene.put("h5_info", Map.of("type", "Wap"));
        body.put("scene_info", scene);
        return answerField(post("/v3/pay/transactions/h5", body), "h5_url");
    }

    /** App: prepay, signed for the WeChat app SDK's {@code PayReq}. */
    public AppPayParameters appPrepay(Order order) {
        String prepayId = answerField(post("/v3/pay/transactions/app", prepayBody(order)), "prepay_id");
        return appParameters(prepayId);
    }

    public AppPayParameters appParameters(String prepayId) {
        String appId = requireAppId();
        String timestamp = Long.toString(config.clock().instant().getEpochSecond());
        String nonce = signer.nonce();
        String sign = signer.signLines(appId, timestamp, nonce, Objects.requireNonNull(prepayId, "prepayId"));
        return new AppPayParameters(appId, config.mchid(), prepayId, "Sign=WXPay", nonce, timestamp, sign);
    }

    public Transaction queryByOutTradeNo(String outTradeNo) {
        checkNumber(outTradeNo, "outTradeNo");
        return transaction(get("/v3/pay/transactions/out-trade-no/" + outTradeNo + "?mchid=" + config.mchid()));
    }

    public Transaction queryByTransactionId(String transactionId) {
        if (transactionId == null || !transactionId.matches("[0-9A-Za-z]{1,32}")) {
            throw new IllegalArgumentException("transactionId is malformed: " + transactionId);
        }
        return transaction(get("/v3/pay/transactions/id/" + transactionId + "?mchid=" + config.mchid()));
    }

    /** Closes an unpaid order; WeChat Pay answers 204 with nothing else. */
    public void close(String outTradeNo) {
        checkNumber(outTradeNo, "outTradeNo");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mchid", config.mchid());
        exchange.send(
                "POST",
                exchange.uri("/v3/pay/transactions/out-trade-no/" + outTradeNo + "/close"),
                Json.write(body),
                null);
    }

    public Refund refund(RefundRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transaction_id", request.transactionId());
        body.put("out_trade_no", request.outTradeNo());
        body.put("out_refund_no", request.outRefundNo());
        body.put("reason", request.reason());
        body.put("notify_url", request.notifyUrl());
        Map<String, Object> amount = new LinkedHashMap<>();
        amount.put("refund", Fen.fromYuan(request.refund()));
        amount.put("total", Fen.fromYuan(request.total()));
        amount.put("currency", "CNY");
        body.put("amount", amount);
        return refund(post("/v3/refund/domestic/refunds", body));
    }

    public Refund queryRefund(String outRefundNo) {
        if (outRefundNo == null || !Order.REFUND_NUMBER.matcher(outRefundNo).matches()) {
            throw new IllegalArgumentException("outRefundNo must be 1 to 64 of [0-9A-Za-z_-|*@]: " + outRefundNo);
        }
        return refund(get("/v3/refund/domestic/refunds/" + outRefundNo));
    }

    /** Where the trade bill of {@code day} is, gzip-compressed when {@code gzip}. */
    public BillUrl tradeBillUrl(LocalDate day, BillType type, boolean gzip) {
        String query = "bill_date=" + Objects.requireNonNull(day, "day") + "&bill_type=" + type.name()
                + (gzip ? "&tar_type=GZIP" : "");
        return billUrl(get("/v3/bill/tradebill?" + query));
    }

    public BillUrl fundFlowBillUrl(LocalDate day, FundAccount account, boolean gzip) {
        String query = "bill_date=" + Objects.requireNonNull(day, "day") + "&account_type=" + account.name()
                + (gzip ? "&tar_type=GZIP" : "");
        return billUrl(get("/v3/bill/fundflowbill?" + query));
    }

    /**
     * The bill's text, decompressed when {@code gzip}, after its SHA-1 is checked against {@code hash_value}
     * (docs/wechatpay-protocol.md#s11).
     */
    public String downloadBill(BillUrl url, boolean gzip) {
        return bills.download(url, gzip);
    }

    /**
     * Verifies and decrypts a notification of any kind, then types it by its {@code event_type}: the body is read
     * once, and only after its signature is checked. The headers as received, the body exactly as received.
     */
    public Notification notification(Map<String, String> headers, String body) {
        NotificationReader.Opened opened = notifications.open(headers, body);
        String type = opened.eventType() == null ? "" : opened.eventType();
        if (type.startsWith("TRANSACTION.")) {
            return transactionNotification(opened);
        }
        if (type.startsWith("REFUND.")) {
            return refundNotification(opened);
        }
        return new OtherNotification(
                opened.id(), opened.createTime(), opened.eventType(), opened.summary(), opened.resource());
    }

    /** Verifies and decrypts a payment notification: the headers as received, the body exactly as received. */
    public TransactionNotification transactionNotification(Map<String, String> headers, String body) {
        return transactionNotification(notifications.open(headers, body));
    }

    private TransactionNotification transactionNotification(NotificationReader.Opened opened) {
        return new TransactionNotification(
                opened.id(),
                opened.createTime(),
                opened.eventType(),
                opened.summary(),
                malformedUnless(() -> Answers.transaction(opened.resource()), false));
    }

    public RefundNotification refundNotification(Map<String, String> headers, String body) {
        return refundNotification(notifications.open(headers, body));
    }

    private RefundNotification refundNotification(NotificationReader.Opened opened) {
        return new RefundNotification(
                opened.id(),
                opened.createTime(),
                opened.eventType(),
                opened.summary(),
                malformedUnless(() -> Answers.refund(opened.resource()), false));
    }

    /**
     * Any other API: a signed request ({@code jsonBody} null for GET and DELETE) and its verified answer.
     * {@code pathAndQuery} starts with {@code /v3/} and is sent as given, already URL-encoded.
     */
    public WechatPayAnswer call(String method, String pathAndQuery, String jsonBody) {
        if (method == null || !method.matches("GET|POST|PUT|PATCH|DELETE")) {
            throw new IllegalArgumentException("unsupported HTTP method " + method);
        }
        if (jsonBody != null) {
            Json.parse(jsonBody); // refuse to sign what WeChat Pay could not read
        }
        return exchange.send(method, exchange.uri(pathAndQuery), jsonBody, null);
    }

    /**
     * A sensitive field encrypted for WeChat Pay (RSA-OAEP); send the request with {@link #callEncrypted} so that
     * {@code Wechatpay-Serial} names the key used (docs/wechatpay-protocol.md#s7).
     */
    public EncryptedField encrypt(String plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        if (config.publicKeyId() != null) {
            return new EncryptedField(RsaOaep.encrypt(config.wechatPayPublicKey(), plaintext), config.publicKeyId());
        }
        X509Certificate certificate = certificates
                .newest()
                .orElseThrow(
                        () -> new WechatPaySignatureException("no valid platform certificate to encrypt with", false));
        return new EncryptedField(
                RsaOaep.encrypt(certificate.getPublicKey(), plaintext), PemKeys.serialNumber(certificate));
    }

    /** The generic call for a body holding fields encrypted under the key {@code serial} names. */
    public WechatPayAnswer callEncrypted(String method, String pathAndQuery, String jsonBody, String serial) {
        if (serial == null || jsonBody == null) {
            throw new IllegalArgumentException("an encrypted call needs the body and the serial of the key used");
        }
        if (method == null || !method.matches("POST|PUT|PATCH")) {
            throw new IllegalArgumentException("encrypted fields travel in a body: POST, PUT or PATCH, not " + method);
        }
        Json.parse(jsonBody);
        return exchange.send(method, exchange.uri(pathAndQuery), jsonBody, serial);
    }

    /** A field encrypted with RSA-OAEP, and the serial of the key that encrypted it. */
    public record EncryptedField(String ciphertext, String serial) {}

    private Map<String, Object> prepayBody(Order order) {
        Objects.requireNonNull(order, "order");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("appid", requireAppId());
        body.put("mchid", config.mchid());
        body.put("description", order.description());
        body.put("out_trade_no", order.outTradeNo());
        if (order.timeExpire() != null) {
            body.put("time_expire", RFC3339_SECONDS.format(order.timeExpire()));
        }
        body.put("attach", order.attach());
        body.put("notify_url", order.notifyUrl());
        Map<String, Object> amount = new LinkedHashMap<>();
        amount.put("total", Fen.fromYuan(order.amount()));
        amount.put("currency", "CNY");
        body.put("amount", amount);
        return body;
    }

    private Map<String, Object> post(String path, Map<String, Object> body) {
        return json(exchange.send("POST", exchange.uri(path), Json.write(body), null));
    }

    private Map<String, Object> get(String pathAndQuery) {
        return json(exchange.send("GET", exchange.uri(pathAndQuery), null, null));
    }

    private static Map<String, Object> json(WechatPayAnswer answer) {
        return malformedUnless(() -> Json.parseObject(answer.body()), true);
    }

    /** The one field a verified answer must hold; its absence is a malformed answer to a request already sent. */
    private static String answerField(Map<String, Object> json, String name) {
        return malformedUnless(() -> Fields.text(json, name), true);
    }

    private static Transaction transaction(Map<String, Object> json) {
        return malformedUnless(() -> Answers.transaction(json), true);
    }

    private static Refund refund(Map<String, Object> json) {
        return malformedUnless(() -> Answers.refund(json), true);
    }

    private static BillUrl billUrl(Map<String, Object> json) {
        return malformedUnless(
                () -> new BillUrl(
                        Fields.text(json, "hash_type"),
                        Fields.text(json, "hash_value"),
                        Fields.text(json, "download_url")),
                true);
    }

    private static <T> T malformedUnless(java.util.function.Supplier<T> read, boolean outcomeUnknown) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new WechatPayMalformedException("verified but unreadable: " + e.getMessage(), outcomeUnknown, e);
        }
    }

    private String requireAppId() {
        if (config.appId() == null) {
            throw new IllegalStateException("prepay needs appId in the configuration");
        }
        return config.appId();
    }

    private static void checkNumber(String value, String name) {
        if (value == null || !Order.MERCHANT_NUMBER.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be 6 to 32 of [0-9A-Za-z_-|*@]: " + value);
        }
    }

    /**
     * The key the client verifies with, named on every request as the official SDK does. In certificate mode the
     * first request downloads the certificates before it is sent: a gateway that picks the answer's key by this
     * header would otherwise sign the first answers with the public key (docs/wechatpay-protocol.md#s5).
     */
    private String requestSerial() {
        if (config.publicKeyId() != null) {
            return config.publicKeyId();
        }
        certificates.newest(); // downloads when none is held; the download's own request names none
        return certificates.newestKnownSerial();
    }

    /** The download is verified by CertificateDownload itself: the signing certificate may be in it. */
    private Map<String, X509Certificate> downloadCertificates() {
        HttpTransport.Answer answer =
                exchange.sendUnverified(exchange.uri(CertificateDownload.PATH), "application/json");
        return CertificateDownload.read(
                answer.headers(), new String(answer.body(), StandardCharsets.UTF_8), config.apiV3Cipher(), verifier);
    }
}
