package dev.zhifu.alipay;

import dev.zhifu.alipay.bill.TradeBillLine;
import dev.zhifu.alipay.bill.TradeBillParser;
import dev.zhifu.alipay.bill.TradeBillSummary;
import dev.zhifu.alipay.crypto.AlipayKeys;
import dev.zhifu.alipay.crypto.AlipaySigner;
import dev.zhifu.alipay.crypto.AlipayVerifier;
import dev.zhifu.alipay.crypto.CertSn;
import dev.zhifu.alipay.crypto.KeyMaterialException;
import dev.zhifu.alipay.crypto.PemCertificates;
import dev.zhifu.alipay.crypto.SignType;
import dev.zhifu.alipay.internal.AnswerReader;
import dev.zhifu.alipay.internal.Json;
import dev.zhifu.alipay.internal.SignedAnswer;
import dev.zhifu.alipay.internal.WireRequest;
import dev.zhifu.alipay.notify.NotificationVerifier;
import dev.zhifu.alipay.trade.BillUrlRequest;
import dev.zhifu.alipay.trade.BillUrlResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The Alipay Open Platform client: signs requests, calls the gateway, verifies every answer before reading
 * it. One instance per app, shared by all threads; it holds no global state.
 *
 * <pre>{@code
 * AlipayClient alipay = new AlipayClient(AlipayConfig.builder()
 *         .appId("2021000000000001")
 *         .appPrivateKey(Files.readString(Path.of("app_private_key.pem")))
 *         .alipayPublicKey(Files.readString(Path.of("alipay_public_key.pem")))
 *         .build());
 * PrecreateResponse qr = alipay.execute(PrecreateRequest.of("order-1", new BigDecimal("9.90"), "Coffee"));
 * }</pre>
 */
public final class AlipayClient {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.ofHours(8));
    static final String CERT_DOWNLOAD_METHOD = "alipay.open.app.alipaycert.download";

    private final AlipayConfig config;
    private final AlipaySigner signer;
    private final List<AlipayVerifier> publicKeyVerifiers;
    private final Map<String, AlipayVerifier> certVerifiers = new ConcurrentHashMap<>();
    private final String contentType;

    public AlipayClient(AlipayConfig config) {
        this.config = config;
        this.signer = new AlipaySigner(config.appPrivateKey(), SignType.RSA2, config.rsaProvider());
        List<AlipayVerifier> verifiers = new ArrayList<>();
        for (PublicKey key : config.alipayPublicKeys()) {
            verifiers.add(new AlipayVerifier(key, config.verifySignType(), config.rsaProvider()));
        }
        this.publicKeyVerifiers = List.copyOf(verifiers);
        if (config.certificateMode() != null) {
            config.certificateMode().alipayKeysBySn().forEach((sn, key) ->
                    certVerifiers.put(sn, new AlipayVerifier(key, config.verifySignType(), config.rsaProvider())));
        }
        this.contentType = "application/x-www-form-urlencoded;charset=" + config.charsetName();
    }

    public AlipayConfig config() {
        return config;
    }

    /** Calls the gateway and returns the typed, verified answer. See {@link #execute(AlipayRequest, RequestOptions)}. */
    public <R> R execute(AlipayRequest<R> request) {
        return execute(request, RequestOptions.NONE);
    }

    /**
     * Calls the gateway. Repeatable requests are retried on transport failures and unknown results
     * according to the configured {@link RetryPolicy}; others are sent once.
     *
     * @throws AlipayRequestException   a field was invalid; nothing was sent
     * @throws AlipayTransportException no usable HTTP answer ({@link AlipayException#isResultUnknown()} tells
     *                                  whether Alipay may have acted)
     * @throws AlipayGatewayException   Alipay answered with an error code
     * @throws AlipaySignatureException the answer's signature did not verify
     * @throws AlipayMalformedResponseException the answer could not be read
     */
    public <R> R execute(AlipayRequest<R> request, RequestOptions options) {
        String method = request.method();
        validate(request);
        RetryPolicy policy = config.retryPolicy();
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            AlipayResponse response = null;
            String[] traceId = new String[1];
            try {
                response = send(request, options, traceId);
                if (!response.isSuccess()) {
                    throw new AlipayGatewayException(response);
                }
                R result = request.read(response);
                report(method, attempt, started, AlipayCallListener.Outcome.SUCCESS, response, -1, false, traceId[0]);
                return result;
            } catch (AlipayException failure) {
                boolean retry = policy.shouldRetry(request.isRepeatable(), attempt, failure);
                report(method, attempt, started, outcomeOf(failure), response,
                        failure instanceof AlipayTransportException t ? t.httpStatus() : -1, retry, traceId[0]);
                if (!retry) {
                    throw failure;
                }
                pause(method, policy.backoff(attempt), failure);
            }
        }
    }

    /**
     * Any gateway method by name with its {@code biz_content} JSON, answered with the verified node.
     * Not retried; use {@link GenericRequest} with {@code repeatable=true} for calls that are safe to repeat.
     */
    public AlipayResponse call(String method, String bizContentJson) {
        return execute(new GenericRequest(method, bizContentJson, false));
    }

    /**
     * Signs a page or wap pay request for the buyer's browser: both the GET URL and the auto-submitting POST
     * form (docs/alipay-protocol.md#s5.1). Nothing is sent.
     */
    public BrowserPayment browserPayment(AlipayRequest<?> request) {
        return browserPayment(request, RequestOptions.NONE);
    }

    public BrowserPayment browserPayment(AlipayRequest<?> request, RequestOptions options) {
        validate(request);
        WireRequest wire = signedWire(request, options);
        String gateway = config.gatewayUrl().toString();
        String url = gateway + "?" + wire.sortedEncoded();
        StringBuilder form = new StringBuilder(2048);
        // byte-identical to the SDK: only '"' is escaped in values, the action URL's '&' is left raw (docs/alipay-protocol.md#s14.5)
        form.append("<form name=\"punchout_form\" method=\"post\" action=\"")
                .append(gateway).append('?').append(wire.query()).append("\">\n");
        for (Map.Entry<String, String> e : wire.applicationParams().entrySet()) {
            form.append("<input type=\"hidden\" name=\"").append(e.getKey()).append("\" value=\"")
                    .append(e.getValue().replace("\"", "&quot;")).append("\">\n");
        }
        form.append("<input type=\"submit\" value=\"立即支付\" style=\"display:none\" >\n</form>\n")
                .append("<script>document.forms[0].submit();</script>");
        return new BrowserPayment(url, form.toString());
    }

    /** Signs an app pay request into the order string the Alipay mobile SDK takes (docs/alipay-protocol.md#s5.2). Nothing is sent. */
    public String appOrderString(AlipayRequest<?> request) {
        validate(request);
        return signedWire(request, RequestOptions.NONE).sortedEncoded();
    }

    /**
     * Verifies the {@code result} text the Alipay mobile SDK hands back after app pay
     * ({@code {"alipay_trade_app_pay_response":{…},"sign":"…"}}) and returns its node.
     */
    public AlipayResponse verifyAppPayResult(String resultJson) {
        String method = "alipay.trade.app.pay";
        if (resultJson == null || resultJson.isBlank()) {
            throw new AlipayMalformedResponseException(method, "empty app pay result (the buyer left the cashier?)");
        }
        AlipayResponse response = readAnswer(method, resultJson, false);
        if (!response.verified()) {
            throw new AlipaySignatureException(method, "the app pay result is not signed");
        }
        return response;
    }

    /** A verifier for notifications and return_url parameters, using this client's Alipay keys. */
    public NotificationVerifier notifications() {
        List<AlipayVerifier> verifiers = new ArrayList<>(publicKeyVerifiers);
        verifiers.addAll(certVerifiers.values());
        return new NotificationVerifier(verifiers);
    }

    /**
     * Downloads the {@code trade} bill of a day (GMT+8) and streams its lines to {@code lines}; memory stays
     * bounded whatever the bill's size.
     *
     * @return the bill's summary (account, period, footer totals)
     */
    public TradeBillSummary downloadTradeBill(LocalDate day, Consumer<TradeBillLine> lines) {
        BillUrlResponse url = execute(BillUrlRequest.trade(day));
        return downloadBill(url.billDownloadUrl(), lines);
    }

    /** Fetches a bill URL (valid for 30 s after it was issued), unzips it and parses the detail file. */
    public TradeBillSummary downloadBill(String billDownloadUrl, Consumer<TradeBillLine> lines) {
        String method = "bill.download";
        URI uri;
        try {
            uri = URI.create(billDownloadUrl);
        } catch (IllegalArgumentException e) {
            throw new AlipayMalformedResponseException(method, "bill_download_url is not a URL");
        }
        RetryPolicy policy = config.retryPolicy();
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            try (InputStream zip = openBill(uri)) {
                TradeBillSummary summary = TradeBillParser.parseZip(zip, lines);
                report(method, attempt, started, AlipayCallListener.Outcome.SUCCESS, null, 200, false, null);
                return summary;
            } catch (IOException e) {
                // broken mid-stream: lines may already have reached the consumer, so this is not retried
                report(method, attempt, started, AlipayCallListener.Outcome.TRANSPORT_ERROR, null, -1, false, null);
                throw new AlipayTransportException(method, "bill download failed: " + e.getMessage(), -1, false, e);
            } catch (AlipayTransportException e) { // before any line was read: safe to try again
                boolean retry = policy.shouldRetry(true, attempt, e);
                report(method, attempt, started, AlipayCallListener.Outcome.TRANSPORT_ERROR, null, e.httpStatus(), retry, null);
                if (!retry) {
                    throw e;
                }
                pause(method, policy.backoff(attempt), e);
            } catch (IllegalArgumentException e) {
                report(method, attempt, started, AlipayCallListener.Outcome.MALFORMED_RESPONSE, null, 200, false, null);
                throw new AlipayMalformedResponseException(method, "the bill file cannot be read: " + e.getMessage(), e);
            }
        }
    }

    private InputStream openBill(URI uri) {
        String method = "bill.download";
        try {
            HttpTransport.StreamedAnswer answer = config.transport().get(uri, config.readTimeout());
            if (answer.status() / 100 != 2) {
                answer.body().close();
                throw new AlipayTransportException(method, "bill download answered HTTP " + answer.status(),
                        answer.status(), false, null);
            }
            return answer.body();
        } catch (IOException e) {
            throw new AlipayTransportException(method, "bill download failed: " + e, -1, false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlipayTransportException(method, "interrupted", -1, false, e);
        }
    }

    private void validate(AlipayRequest<?> request) {
        try {
            request.validate();
        } catch (IllegalArgumentException e) {
            throw new AlipayRequestException(request.method(), e.getMessage(), e);
        }
    }

    private WireRequest signedWire(AlipayRequest<?> request, RequestOptions options) {
        String method = request.method();
        String bizContent = request.bizContentJson();
        boolean encrypt = config.encryption() != null && bizContent != null && !bizContent.isBlank();
        if (encrypt) {
            bizContent = config.encryption().encrypt(bizContent, config.charset());
        }
        AlipayConfig.CertificateMode certs = config.certificateMode();
        String notifyUrl = request.notifyUrl() != null ? request.notifyUrl() : config.notifyUrl();
        WireRequest.Builder wire = new WireRequest.Builder()
                // insertion sequence of the SDK's protocol-must map (docs/alipay-protocol.md#s2.2)
                .must("method", method)
                .must("version", "1.0")
                .must("app_id", config.appId())
                .must("sign_type", SignType.RSA2.name())
                .must("notify_url", notifyUrl)
                .must("return_url", request.returnUrl())
                .must("charset", config.charsetName())
                .must("encrypt_type", encrypt ? "AES" : null)
                .must("app_cert_sn", certs == null ? null : certs.appCertSn())
                .must("alipay_root_cert_sn", certs == null ? null : certs.rootCertSn())
                .must("timestamp", TIMESTAMP.format(config.clock().instant()))
                .optional("format", "json")
                .optional("alipay_sdk", config.sdkTag())
                .application("biz_content", bizContent)
                .appAuthToken(options.appAuthToken());
        options.extraParams().forEach(wire::application);
        WireRequest built = wire.build(config.charset());
        built.sign(signer.sign(built.signContent(), config.charset()));
        return built;
    }

    private AlipayResponse send(AlipayRequest<?> request, RequestOptions options, String[] traceIdOut) {
        String method = request.method();
        WireRequest wire = signedWire(request, options);
        URI uri = URI.create(config.gatewayUrl() + "?" + wire.query());
        HttpTransport.Answer answer;
        try {
            answer = config.transport().post(uri, contentType, wire.body().getBytes(config.charset()),
                    config.readTimeout());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new AlipayTransportException(method, "cannot connect to " + config.gatewayUrl().getHost()
                    + ": " + e.getMessage(), -1, false, e);
        } catch (HttpTimeoutException e) {
            throw new AlipayTransportException(method, "no answer within " + config.readTimeout().toMillis()
                    + " ms", -1, true, e);
        } catch (IOException e) {
            throw new AlipayTransportException(method, "the call failed: " + e, -1, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlipayTransportException(method, "interrupted while calling Alipay", -1, true, e);
        }
        traceIdOut[0] = answer.traceId();
        if (answer.status() / 100 != 2) {
            throw new AlipayTransportException(method, "the gateway answered HTTP " + answer.status(),
                    answer.status(), answer.status() >= 500, null);
        }
        String body = new String(answer.body(), charsetOf(answer.contentType()));
        boolean encrypted = config.encryption() != null && request.bizContentJson() != null;
        return readAnswer(method, body, encrypted);
    }

    private AlipayResponse readAnswer(String method, String body, boolean encryptedCall) {
        SignedAnswer answer;
        try {
            answer = AnswerReader.read(method, body);
        } catch (SecurityException e) {
            throw new AlipaySignatureException(method, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new AlipayMalformedResponseException(method, e.getMessage() + " (body: " + preview(body) + ")", e);
        }
        boolean verified = false;
        if (answer.sign() != null && !CERT_DOWNLOAD_METHOD.equals(method)) {
            verifyAnswer(method, answer);
            verified = true;
        }
        String nodeText = answer.signedText();
        if (answer.isEncryptedNode()) {
            if (config.encryption() == null) {
                throw new AlipayMalformedResponseException(method, "the answer is encrypted but no encryptKey is configured");
            }
            if (!verified) {
                throw new AlipaySignatureException(method, "an encrypted answer must be signed");
            }
            try {
                nodeText = config.encryption().decrypt(nodeText.substring(1, nodeText.length() - 1), config.charset());
            } catch (IllegalArgumentException e) {
                throw new AlipayMalformedResponseException(method, e.getMessage(), e);
            }
        }
        Map<String, Object> fields;
        try {
            fields = Json.parseObject(nodeText);
        } catch (IllegalArgumentException e) {
            throw new AlipayMalformedResponseException(method, "the answer's node is not a JSON object", e);
        }
        AlipayResponse response = new AlipayResponse(method, fields, nodeText, verified);
        if (!verified && !CERT_DOWNLOAD_METHOD.equals(method)
                && ("10000".equals(response.code()) || response.code() == null)) {
            // Alipay may leave error answers unsigned, never a success (docs/alipay-protocol.md#s6.2)
            throw new AlipaySignatureException(method, "the answer claims success but carries no signature");
        }
        return response;
    }

    private void verifyAnswer(String method, SignedAnswer answer) {
        List<AlipayVerifier> candidates;
        if (config.certificateMode() != null) {
            if (answer.certSn() == null) {
                throw new AlipaySignatureException(method, "certificate mode: the answer carries no alipay_cert_sn");
            }
            candidates = List.of(certVerifier(method, answer.certSn()));
        } else {
            candidates = publicKeyVerifiers;
        }
        String text = answer.signedText();
        byte[] bytes = text.getBytes(config.charset());
        for (AlipayVerifier verifier : candidates) {
            if (verifier.verify(bytes, answer.sign())) {
                return;
            }
        }
        if (text.contains("\\/")) {
            // Alipay has been seen signing the text before escaping '/' (docs/alipay-protocol.md#s6.2 step 7)
            byte[] unescaped = text.replace("\\/", "/").getBytes(config.charset());
            for (AlipayVerifier verifier : candidates) {
                if (verifier.verify(unescaped, answer.sign())) {
                    return;
                }
            }
        }
        throw new AlipaySignatureException(method, "the answer's signature does not verify with the configured "
                + (config.certificateMode() != null ? "Alipay certificate " + answer.certSn() : "Alipay public key"));
    }

    /** The verifier of an Alipay certificate SN, downloading and chain-checking it after a rotation (docs/alipay-protocol.md#s7.3). */
    private AlipayVerifier certVerifier(String method, String sn) {
        AlipayVerifier known = certVerifiers.get(sn);
        if (known != null) {
            return known;
        }
        // exactly the SDK's biz_content, two spaces included (docs/alipay-protocol.md#s14.11)
        AlipayResponse download;
        try {
            download = execute(new GenericRequest(CERT_DOWNLOAD_METHOD, "{\"alipay_cert_sn\":\"" + sn + "\"  }", true));
        } catch (AlipayException e) {
            throw new AlipaySignatureException(method, "unknown alipay_cert_sn " + sn
                    + " and its certificate could not be downloaded: " + e.getMessage(), e);
        }
        String content = download.string("alipay_cert_content");
        if (content == null) {
            throw new AlipaySignatureException(method, "certificate download for " + sn + " returned no content");
        }
        String pem = new String(Base64.getMimeDecoder().decode(content), StandardCharsets.UTF_8);
        List<X509Certificate> certs = PemCertificates.all(pem);
        if (certs.isEmpty() || !CertSn.of(certs.get(0)).equals(sn)) {
            throw new AlipaySignatureException(method, "the downloaded certificate is not the one with SN " + sn);
        }
        try {
            config.certificateMode().rootChain().verify(certs.get(0), certs.subList(1, certs.size()),
                    config.clock().instant());
        } catch (GeneralSecurityException e) {
            throw new AlipaySignatureException(method, "the downloaded certificate " + sn
                    + " does not chain to the configured Alipay root: " + e.getMessage(), e);
        }
        // the app certificate chains to the same root; its key is ours, never Alipay's
        if (sn.equals(config.certificateMode().appCertSn()) || holdsAppKey(certs.get(0))) {
            throw new AlipaySignatureException(method, "the downloaded certificate " + sn
                    + " holds this app's own public key: it is an app certificate, not Alipay's");
        }
        AlipayVerifier verifier = new AlipayVerifier(certs.get(0).getPublicKey(), config.verifySignType(),
                config.rsaProvider());
        AlipayVerifier raced = certVerifiers.putIfAbsent(sn, verifier);
        return raced != null ? raced : verifier;
    }

    private boolean holdsAppKey(X509Certificate cert) {
        try {
            return cert.getPublicKey().equals(AlipayKeys.publicKeyOf(config.appPrivateKey()));
        } catch (KeyMaterialException e) {
            return false; // no public half to compare with: the SN comparison still catches the configured app certificate
        }
    }

    private static Charset charsetOf(String contentType) {
        if (contentType != null) {
            int at = contentType.toLowerCase(java.util.Locale.ROOT).indexOf("charset=");
            if (at >= 0) {
                String name = contentType.substring(at + 8).split("[;\\s]")[0].replace("\"", "");
                try {
                    return Charset.forName(name);
                } catch (RuntimeException unknown) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static String preview(String body) {
        String oneLine = body.replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }

    private static AlipayCallListener.Outcome outcomeOf(AlipayException e) {
        if (e instanceof AlipayGatewayException g) {
            return g.isResultUnknown() ? AlipayCallListener.Outcome.RESULT_UNKNOWN
                    : AlipayCallListener.Outcome.BUSINESS_ERROR;
        }
        if (e instanceof AlipaySignatureException) {
            return AlipayCallListener.Outcome.BAD_SIGNATURE;
        }
        if (e instanceof AlipayMalformedResponseException) {
            return AlipayCallListener.Outcome.MALFORMED_RESPONSE;
        }
        return AlipayCallListener.Outcome.TRANSPORT_ERROR;
    }

    private void report(String method, int attempt, long startedNanos, AlipayCallListener.Outcome outcome,
                        AlipayResponse response, int httpStatus, boolean willRetry, String traceId) {
        try {
            config.listener().onCall(new AlipayCallListener.Event(method, attempt,
                    Duration.ofNanos(System.nanoTime() - startedNanos), outcome,
                    response == null ? null : response.code(), response == null ? null : response.subCode(),
                    httpStatus == -1 && response != null ? 200 : httpStatus, willRetry, traceId));
        } catch (RuntimeException ignored) {
            // a broken listener must not break payments
        }
    }

    private static void pause(String method, Duration delay, AlipayException cause) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }

    @Override
    public String toString() {
        return "AlipayClient[" + config + "]";
    }
}
