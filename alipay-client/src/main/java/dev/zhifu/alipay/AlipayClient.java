package dev.zhifu.alipay;

import dev.zhifu.alipay.bill.TradeBillLine;
import dev.zhifu.alipay.bill.TradeBillSummary;
import dev.zhifu.alipay.notify.NotificationVerifier;
import dev.zhifu.alipay.trade.BillUrlRequest;
import dev.zhifu.alipay.trade.BillUrlResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The Alipay Open Platform client: signs requests, calls the gateway, verifies every answer before reading
 * it. One instance per app, shared by all threads; it holds no global state. Signing, answer verification and
 * bill downloads are its package's own collaborators; this class sends, retries and reports.
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

    private final AlipayConfig config;
    private final RequestSigner signer;
    private final AnswerVerifier answers;
    private final CallEvents events;
    private final BillDownload bills;
    private final String contentType;

    public AlipayClient(AlipayConfig config) {
        this.config = config;
        this.signer = new RequestSigner(config);
        this.answers = new AnswerVerifier(config, this::execute); // a rotated certificate is fetched with a call
        this.events = new CallEvents(config.listener());
        this.bills = new BillDownload(config, events);
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
            String traceId = null;
            try {
                HttpTransport.Answer answer = post(request, options);
                traceId = answer.traceId(); // reported whatever the answer turns out to be
                response = read(method, answer);
                if (!response.isSuccess()) {
                    throw new AlipayGatewayException(response);
                }
                R result = request.read(response);
                events.report(
                        method, attempt, started, AlipayCallListener.Outcome.SUCCESS, response, -1, false, traceId);
                return result;
            } catch (AlipayException failure) {
                boolean retry = policy.shouldRetry(request.isRepeatable(), attempt, failure);
                events.report(
                        method,
                        attempt,
                        started,
                        outcomeOf(failure),
                        response,
                        failure instanceof AlipayTransportException t ? t.httpStatus() : -1,
                        retry,
                        traceId);
                if (!retry) {
                    throw failure;
                }
                CallEvents.pause(policy.backoff(attempt), failure);
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
        return BrowserPayment.of(config.gatewayUrl().toString(), signer.sign(request, options));
    }

    /** Signs an app pay request into the order string the Alipay mobile SDK takes (docs/alipay-protocol.md#s5.2). Nothing is sent. */
    public String appOrderString(AlipayRequest<?> request) {
        validate(request);
        return signer.sign(request, RequestOptions.NONE).sortedEncoded();
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
        AlipayResponse response = answers.read(method, resultJson);
        if (!response.verified()) {
            throw new AlipaySignatureException(method, "the app pay result is not signed");
        }
        return response;
    }

    /** A verifier for notifications and return_url parameters, using this client's Alipay keys. */
    public NotificationVerifier notifications() {
        return answers.notifications();
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
        return bills.download(billDownloadUrl, lines);
    }

    private void validate(AlipayRequest<?> request) {
        try {
            request.validate();
        } catch (IllegalArgumentException e) {
            throw new AlipayRequestException(request.method(), e.getMessage(), e);
        }
    }

    /** Signs and POSTs the request: the HTTP answer, whatever its status, with Alipay's trace id. */
    private HttpTransport.Answer post(AlipayRequest<?> request, RequestOptions options) {
        String method = request.method();
        WireRequest wire = signer.sign(request, options);
        URI uri = URI.create(config.gatewayUrl() + "?" + wire.query());
        try {
            return config.transport()
                    .post(uri, contentType, wire.body().getBytes(config.charset()), config.readTimeout());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new AlipayTransportException(
                    method, "cannot connect to " + config.gatewayUrl().getHost() + ": " + e.getMessage(), -1, false, e);
        } catch (HttpTimeoutException e) {
            throw new AlipayTransportException(
                    method, "no answer within " + config.readTimeout().toMillis() + " ms", -1, true, e);
        } catch (IOException e) {
            throw new AlipayTransportException(method, "the call failed: " + e, -1, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlipayTransportException(method, "interrupted while calling Alipay", -1, true, e);
        }
    }

    /** The verified answer of a 2xx; anything else is a transport failure (5xx: Alipay may have acted). */
    private AlipayResponse read(String method, HttpTransport.Answer answer) {
        if (answer.status() / 100 != 2) {
            throw new AlipayTransportException(
                    method,
                    "the gateway answered HTTP " + answer.status(),
                    answer.status(),
                    answer.status() >= 500,
                    null);
        }
        return answers.read(method, new String(answer.body(), charsetOf(answer.contentType())));
    }

    private static Charset charsetOf(String contentType) {
        if (contentType != null) {
            int at = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
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

    private static AlipayCallListener.Outcome outcomeOf(AlipayException e) {
        if (e instanceof AlipayGatewayException g) {
            return g.isResultUnknown()
                    ? AlipayCallListener.Outcome.RESULT_UNKNOWN
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

    @Override
    public String toString() {
        return "AlipayClient[" + config + "]";
    }
}
