package dev.zhifu.payments.payments;

import dev.zhifu.payments.web.ApiException;
import dev.zhifu.payments.wechatpay.WechatPayGateway;
import dev.zhifu.payments.wechatpay.WechatPayTimes;
import dev.zhifu.wechatpay.WechatPayApiException;
import dev.zhifu.wechatpay.WechatPayException;
import dev.zhifu.wechatpay.payments.AppPayParameters;
import dev.zhifu.wechatpay.payments.JsapiPayParameters;
import dev.zhifu.wechatpay.payments.Order;
import dev.zhifu.wechatpay.payments.Transaction;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WeChat Pay side of creating, closing and syncing payments (docs/payment-channels.md): what
 * {@link PaymentService} does with Alipay's API, done with WeChat Pay's. Prepay calls may be repeated with the same
 * order (WeChat Pay answers the same prepay id), so an unknown outcome is answered 503 and the caller retries.
 */
@Component
class WechatPayments {

    private static final Logger log = LoggerFactory.getLogger(WechatPayments.class);
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
    private static final TypeReference<Map<String, String>> PARAMETERS = new TypeReference<>() {};

    private final WechatPayGateway wechat;
    private final PaymentRepository payments;
    private final PaymentLedger ledger;
    private final PaymentViews views;
    private final JsonMapper json;
    private final Clock clock;

    WechatPayments(
            WechatPayGateway wechat,
            PaymentRepository payments,
            PaymentLedger ledger,
            PaymentViews views,
            JsonMapper json,
            Clock clock) {
        this.wechat = wechat;
        this.payments = payments;
        this.ledger = ledger;
        this.views = views;
        this.json = json;
        this.clock = clock;
    }

    boolean isEnabled() {
        return wechat.isEnabled();
    }

    /** Prepays the order and stores what the caller does next. */
    void start(Payment p, CheckedPayment request) {
        Order order = order(p);
        Instant now = clock.instant();
        try {
            switch (p.method()) {
                case WECHAT_NATIVE ->
                    payments.setAction(p.id(), "qr_code", wechat.execute(c -> c.nativePrepay(order)), now);
                case WECHAT_H5 -> {
                    String h5 = wechat.execute(c -> c.h5Prepay(order, request.clientIp()));
                    if (request.returnUrl() != null) {
                        // WeChat's H5 cashier sends the buyer here when done (docs/payment-channels.md#h5)
                        h5 += (h5.contains("?") ? "&" : "?") + "redirect_url="
                                + URLEncoder.encode(request.returnUrl(), StandardCharsets.UTF_8);
                    }
                    payments.setAction(p.id(), "redirect", h5, now);
                }
                case WECHAT_JSAPI -> {
                    JsapiPayParameters js = wechat.execute(c -> c.jsapiPrepay(order, request.openid()));
                    payments.setAction(p.id(), "jsapi", json.writeValueAsString(js.asMap()), now);
                }
                case WECHAT_APP -> {
                    AppPayParameters app = wechat.execute(c -> c.appPrepay(order));
                    payments.setAction(p.id(), "app_parameters", json.writeValueAsString(app.asMap()), now);
                }
                default -> throw new IllegalArgumentException("not a WeChat Pay method: " + p.method());
            }
        } catch (WechatPayApiException e) {
            if (e.isOutcomeUnknown() || e.status() >= 500) {
                throw unavailable(e);
            }
            throw refused(p, e);
        } catch (WechatPayException e) {
            throw unavailable(e);
        }
    }

    /** An {@code any_qr} payment opened in WeChat: a Native order for it (the same one again when repeated). */
    String nativeCodeUrl(Payment p) {
        try {
            return wechat.execute(c -> c.nativePrepay(order(p)));
        } catch (WechatPayException e) {
            throw unavailable(e);
        }
    }

    private Order order(Payment p) {
        return new Order(
                p.outTradeNo(),
                description(p.subject()),
                p.amount(),
                wechat.notifyUrl(),
                null,
                OffsetDateTime.ofInstant(p.expiresAt().truncatedTo(ChronoUnit.SECONDS), CHINA));
    }

    /** WeChat Pay limits {@code description} to 127 characters; the subject may be longer. */
    static String description(String subject) {
        int limit = 127;
        if (subject.length() <= limit) {
            return subject;
        }
        int end = Character.isLowSurrogate(subject.charAt(limit)) ? limit - 1 : limit;
        return subject.substring(0, end);
    }

    /** The signed parameters stored for a JSAPI or app payment. */
    Map<String, String> parameters(String stored) {
        return json.readValue(stored, PARAMETERS);
    }

    /**
     * Closes the order at WeChat Pay. An order WeChat Pay never created counts as closed; one that turns out paid
     * is applied as paid (the caller then sees it is no longer PENDING).
     *
     * @throws WechatPayException when WeChat Pay could not be asked or refused for another reason
     */
    void close(Payment p) {
        try {
            wechat.execute(c -> {
                c.close(p.outTradeNo());
                return null;
            });
        } catch (WechatPayApiException e) {
            if ("ORDER_NOT_EXIST".equals(e.code()) || "ORDER_CLOSED".equals(e.code())) {
                return;
            }
            if ("ORDERPAID".equals(e.code())) {
                sync(p);
                return;
            }
            throw e;
        }
    }

    /**
     * Queries the order and applies a definite answer; {@code ORDER_NOT_EXIST} (never prepaid here, e.g. an
     * {@code any_qr} code opened only by Alipay) changes nothing.
     */
    void sync(Payment p) {
        Transaction t;
        try {
            t = wechat.execute(c -> c.queryByOutTradeNo(p.outTradeNo()));
        } catch (WechatPayApiException e) {
            if ("ORDER_NOT_EXIST".equals(e.code())) {
                return;
            }
            throw e;
        }
        if (!t.mchid().equals(wechat.mchid()) || !AmountGuard.matches(p, t.total(), AmountGuard.Source.QUERY)) {
            log.error(
                    "WeChat Pay reports {} for merchant {} on payment {} ({}) of {}: not applied",
                    t.total(),
                    t.mchid(),
                    p.id(),
                    p.outTradeNo(),
                    p.amount());
            return;
        }
        switch (t.tradeState()) {
            case "SUCCESS", "REFUND" ->
                ledger.markPaid(
                        p.id(),
                        Channel.WECHATPAY,
                        t.transactionId(),
                        t.payerOpenid(),
                        WechatPayTimes.parse(t.successTime()));
            case "CLOSED", "REVOKED", "PAYERROR" -> {
                if (p.channel() == Channel.WECHATPAY
                        && payments.find(p.id()).orElseThrow().status() == PaymentStatus.PENDING) {
                    ledger.markClosed(p.id(), null, null);
                }
            }
            default -> {} // NOTPAY, USERPAYING: not yet
        }
    }

    private ApiException refused(Payment p, WechatPayApiException e) {
        ledger.markClosed(p.id(), e.code(), e.errorMessage());
        return ApiException.unprocessable(
                        "wechatpay_rejected",
                        "WeChat Pay refused the payment: " + e.code()
                                + (e.errorMessage() == null ? "" : " (" + e.errorMessage() + ")"))
                .with("wechatpay_code", e.code())
                .with("wechatpay_message", e.errorMessage())
                .with("payment", views.of(payments.find(p.id()).orElseThrow()));
    }

    static ApiException unavailable(WechatPayException e) {
        log.warn("WeChat Pay unavailable: {}", e.getMessage());
        return new ApiException(
                HttpStatus.SERVICE_UNAVAILABLE,
                "wechatpay_unavailable",
                "WeChat Pay could not be reached or did not answer; try the same request again");
    }
}
