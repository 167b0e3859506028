package dev.zhifu.payments.payments;

import dev.zhifu.alipay.AlipayException;
import dev.zhifu.alipay.AlipayGatewayException;
import dev.zhifu.alipay.trade.AppPayRequest;
import dev.zhifu.alipay.trade.BarcodePayRequest;
import dev.zhifu.alipay.trade.CloseRequest;
import dev.zhifu.alipay.trade.Order;
import dev.zhifu.alipay.trade.PagePayRequest;
import dev.zhifu.alipay.trade.PrecreateRequest;
import dev.zhifu.alipay.trade.QueryRequest;
import dev.zhifu.alipay.trade.TradeRef;
import dev.zhifu.alipay.trade.TradeStatus;
import dev.zhifu.alipay.trade.WapPayRequest;
import dev.zhifu.payments.alipay.AlipayGateway;
import dev.zhifu.payments.alipay.AlipayTimes;
import dev.zhifu.payments.jobs.SyncProperties;
import dev.zhifu.payments.operations.PaymentMetrics;
import dev.zhifu.payments.operations.PaymentTraces;
import dev.zhifu.payments.storage.Ids;
import dev.zhifu.payments.web.ApiException;
import dev.zhifu.wechatpay.WechatPayException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Creating, closing and syncing payments. The payment row is written before Alipay is called, so every trade
 * Alipay may know of is known here first; status changes go through {@link PaymentLedger}.
 */
@Service
public class PaymentService {

    private static final Logger log = LoggerFactory.getLogger(PaymentService.class);

    private final PaymentRepository payments;
    private final PaymentLedger ledger;
    private final PaymentViews views;
    private final AlipayGateway alipay;
    private final BarcodePoller barcodePoller;
    private final ObjectProvider<PaymentFollowUp> followUps;
    private final SyncProperties sync;
    private final Clock clock;
    private final PaymentMetrics metrics;
    private final PaymentTraces traces;
    private final WechatPayments wechat;

    public PaymentService(
            PaymentRepository payments,
            PaymentLedger ledger,
            PaymentViews views,
            AlipayGateway alipay,
            BarcodePoller barcodePoller,
            ObjectProvider<PaymentFollowUp> followUps,
            SyncProperties sync,
            Clock clock,
            PaymentMetrics metrics,
            PaymentTraces traces,
            WechatPayments wechat) {
        this.wechat = wechat;
        this.metrics = metrics;
        this.traces = traces;
        this.sync = sync;
        this.payments = payments;
        this.ledger = ledger;
        this.views = views;
        this.alipay = alipay;
        this.barcodePoller = barcodePoller;
        this.followUps = followUps;
        this.clock = clock;
    }

    /** @param created false when an identical request for the same {@code out_trade_no} had created it before */
    public record Created(PaymentView payment, boolean created) {}

    public Created create(CheckedPayment request) {
        if (request.method().channel() == Channel.WECHATPAY && !wechat.isEnabled()) {
            throw ApiException.unprocessable(
                    "wechatpay_not_configured",
                    "WeChat Pay is not configured here (wechatpay.mchid and the other wechatpay.* settings): method "
                            + request.method().wire() + " cannot be used");
        }
        Instant now = clock.instant();
        String id = Ids.next("pay");
        String outTradeNo = request.outTradeNo() != null ? request.outTradeNo() : id.replace("pay_", "P");
        Payment fresh = new Payment(
                id,
                outTradeNo,
                null,
                request.method(),
                request.method().channel(),
                PaymentStatus.PENDING,
                request.amount(),
                Money.of(java.math.BigDecimal.ZERO),
                request.subject(),
                request.metadataJson(),
                request.hash(),
                request.returnUrl(),
                null,
                null,
                null,
                null,
                null,
                1,
                now,
                now,
                now.plus(Duration.ofMinutes(request.expireMinutes())),
                null,
                null);
        try {
            payments.insert(fresh, now.plus(sync.firstInterval()), traces.currentTraceParent());
        } catch (DuplicateKeyException taken) {
            Payment existing = payments.findByOutTradeNo(outTradeNo).orElseThrow(() -> taken);
            if (!existing.requestHash().equals(request.hash())) {
                throw ApiException.conflict(
                                "out_trade_no_reused",
                                "out_trade_no " + outTradeNo
                                        + " belongs to a payment created with a different request (" + existing.id()
                                        + ")")
                        .with("payment_id", existing.id());
            }
            if (existing.status() == PaymentStatus.PENDING
                    && existing.actionType() == null
                    && existing.method() != PaymentMethod.BARCODE) {
                start(existing, request); // the first attempt could not reach Alipay: finish it now
            }
            return new Created(views.of(reload(existing.id())), false);
        }
        metrics.created(
                fresh.method().wire(),
                fresh.channel() == null ? "none" : fresh.channel().wire());
        start(fresh, request);
        return new Created(views.of(reload(id)), true);
    }

    private void start(Payment p, CheckedPayment request) {
        if (p.method().channel() == Channel.WECHATPAY) {
            wechat.start(p, request);
            return;
        }
        if (p.method() == PaymentMethod.ANY_QR) {
            // our own short address: the wallet that opens it starts its payment (anyqr.AnyQrController)
            payments.setAction(p.id(), "qr_code", alipay.publicUrl() + "/pay/" + p.id(), clock.instant());
            return;
        }
        Order order = Order.of(p.outTradeNo(), p.amount(), p.subject());
        if (request.metadataJson() != null) {
            // Alipay asks for passback_params URL-encoded; it echoes them in the notification
            order = order.withPassbackParams(URLEncoder.encode(request.metadataJson(), StandardCharsets.UTF_8));
        }
        String timeExpire = AlipayTimes.format(p.expiresAt());
        String notifyUrl = alipay.notifyUrl();
        Instant now = clock.instant();
        switch (p.method()) {
            case PAGE -> {
                PagePayRequest page =
                        new PagePayRequest(order.withTimeExpire(timeExpire), alipay.returnUrl(), notifyUrl, null);
                payments.setAction(
                        p.id(), "redirect", alipay.client().browserPayment(page).url(), now);
            }
            case WAP -> {
                WapPayRequest wap = new WapPayRequest(
                        order.withTimeExpire(timeExpire), alipay.returnUrl(), notifyUrl, request.returnUrl());
                payments.setAction(
                        p.id(), "redirect", alipay.client().browserPayment(wap).url(), now);
            }
            case APP ->
                payments.setAction(
                        p.id(),
                        "app",
                        alipay.client().appOrderString(new AppPayRequest(order.withTimeExpire(timeExpire), notifyUrl)),
                        now);
            case QR -> {
                try {
                    PrecreateRequest.Response qr =
                            alipay.execute(new PrecreateRequest(order.withTimeExpire(timeExpire), notifyUrl));
                    payments.setAction(p.id(), "qr_code", qr.qrCode(), now);
                } catch (AlipayGatewayException e) {
                    if (e.isResultUnknown()) {
                        throw unavailable(e);
                    }
                    throw refused(p, e);
                } catch (AlipayException e) {
                    throw unavailable(e); // precreate may be repeated with the same order: retrying the request is safe
                }
            }
            case BARCODE -> payByCode(p, order.withTimeoutExpress(request.expireMinutes() + "m"), request.authCode());
            default -> throw new IllegalStateException("not an Alipay method: " + p.method());
        }
    }

    /**
     * Where an {@code any_qr} code sends the buyer once a wallet opened it: Alipay's mobile cashier (a redirect), or
     * WeChat Pay's {@code code_url} for the same order (shown as a QR code the buyer long-presses in WeChat).
     *
     * @param type  {@code redirect} or {@code qr_code}
     * @param value the URL
     */
    public record WalletStart(String type, String value) {}

    /**
     * The buyer opened an {@code any_qr} code with {@code wallet}: starts that wallet's payment of the same order
     * (both may be started; the first to be paid wins, a second payment is an anomaly to refund). Safe to repeat.
     *
     * @throws ApiException 404 for an unknown payment or one of another method, 409 when no longer pending, 422
     *                      when WeChat Pay is not configured, 503 when WeChat Pay cannot be reached
     */
    public WalletStart openAnyQr(String id, Channel wallet) {
        Payment p = find(id);
        if (p.method() != PaymentMethod.ANY_QR) {
            throw ApiException.notFound("payment_not_found", "No any_qr payment " + id);
        }
        if (p.status() != PaymentStatus.PENDING) {
            throw ApiException.conflict("payment_not_pending", "The payment is " + p.status());
        }
        if (!clock.instant().isBefore(p.expiresAt())) {
            throw ApiException.conflict("payment_expired", "The payment expired at " + p.expiresAt());
        }
        // the buyer has the code in hand: a query soon may find it paid
        payments.bringSyncForward(
                p.id(),
                clock.instant().plus(sync.firstInterval()),
                clock.instant().plus(sync.firstInterval()));
        if (wallet == Channel.ALIPAY) {
            Order order =
                    Order.of(p.outTradeNo(), p.amount(), p.subject()).withTimeExpire(AlipayTimes.format(p.expiresAt()));
            WapPayRequest wap = new WapPayRequest(order, alipay.returnUrl(), alipay.notifyUrl(), null);
            return new WalletStart(
                    "redirect", alipay.client().browserPayment(wap).url());
        }
        if (!wechat.isEnabled()) {
            throw ApiException.unprocessable("wechatpay_not_configured", "WeChat Pay is not configured here");
        }
        return new WalletStart("qr_code", wechat.nativeCodeUrl(p));
    }

    /** {@code alipay.trade.pay}: never repeated; an unknown answer is resolved by query, then cancel (docs/alipay-protocol.md#s11.2). */
    private void payByCode(Payment p, Order order, String authCode) {
        try {
            BarcodePayRequest.Response paid =
                    alipay.execute(new BarcodePayRequest(order, authCode, "bar_code", alipay.notifyUrl()));
            ledger.markPaid(p.id(), paid.tradeNo(), paid.buyerLogonId(), AlipayTimes.toInstant(paid.gmtPayment()));
        } catch (AlipayGatewayException e) {
            if (e.isResultUnknown()) {
                log.info("Barcode payment {} answered {} ({}): polling", p.id(), e.code(), e.subCode());
                barcodePoller.watch(p.id());
            } else {
                throw refused(p, e);
            }
        } catch (AlipayException e) {
            if (e.isResultUnknown()) {
                log.info("Barcode payment {} outcome unknown ({}): polling", p.id(), e.getMessage());
                barcodePoller.watch(p.id());
            } else {
                ledger.markClosed(p.id(), "alipay_unavailable", "the payment could not be sent to Alipay");
                throw unavailable(e);
            }
        }
    }

    /** Alipay refused the trade for good: the payment is closed with the reason, and the caller told. */
    private ApiException refused(Payment p, AlipayGatewayException e) {
        String code = e.subCode() != null ? e.subCode() : e.code();
        String message = e.subMsg() != null ? e.subMsg() : e.msg();
        ledger.markClosed(p.id(), code, message);
        return ApiException.unprocessable(
                        "alipay_rejected",
                        "Alipay refused the payment: " + code + (message == null ? "" : " (" + message + ")"))
                .with("alipay_code", e.code())
                .with("alipay_sub_code", e.subCode())
                .with("alipay_sub_msg", e.subMsg())
                .with("payment", views.of(reload(p.id())));
    }

    private static ApiException unavailable(AlipayException e) {
        log.warn("Alipay unavailable: {}", e.getMessage());
        return ApiException.alipayUnavailable(
                "Alipay could not be reached or did not answer; try the same request again");
    }

    public PaymentView get(String id) {
        return views.of(find(id));
    }

    public PaymentView byOutTradeNo(String outTradeNo) {
        return views.of(payments.findByOutTradeNo(outTradeNo)
                .orElseThrow(() ->
                        ApiException.notFound("payment_not_found", "No payment with out_trade_no " + outTradeNo)));
    }

    /**
     * Closes an unpaid payment at Alipay, then here. A trade Alipay never created counts as closed; one that
     * turns out paid is applied as paid and answered 409.
     */
    public PaymentView close(String id) {
        Payment p = find(id);
        if (p.status() == PaymentStatus.CLOSED) {
            return views.of(p);
        }
        if (p.status() != PaymentStatus.PENDING) {
            throw alreadyPaid(p);
        }
        closeAtGateways(p);
        PaymentLedger.Closed closed = ledger.markClosed(p.id(), null, null);
        if (closed == PaymentLedger.Closed.PAID) {
            throw alreadyPaid(reload(id));
        }
        return views.of(reload(id));
    }

    /**
     * Closes the trade at its channel's gateway, at both for an {@code any_qr} payment no wallet has paid; throws
     * 409 when it turns out paid (after applying that), 503 when unknown.
     */
    void closeAtGateways(Payment p) {
        if (p.channel() != Channel.WECHATPAY) {
            closeAtAlipay(p);
        }
        if (p.channel() != Channel.ALIPAY && wechat.isEnabled()) {
            try {
                wechat.close(p);
            } catch (WechatPayException e) {
                throw WechatPayments.unavailable(e);
            }
            Payment after = reload(p.id());
            if (after.status() == PaymentStatus.PAID || after.status() == PaymentStatus.REFUNDED) {
                throw alreadyPaid(after);
            }
        }
    }

    /** Closes the trade at Alipay; throws 409 when it turns out paid (after applying that), 503 when unknown. */
    private void closeAtAlipay(Payment p) {
        try {
            alipay.execute(CloseRequest.of(TradeRef.outTradeNo(p.outTradeNo())));
        } catch (AlipayGatewayException e) {
            if ("ACQ.TRADE_NOT_EXIST".equals(e.subCode())) {
                return; // never scanned, never opened: nothing to close at Alipay
            }
            if (e.isResultUnknown()) {
                throw unavailable(e);
            }
            // e.g. ACQ.TRADE_STATUS_ERROR: ask what the trade is
            Payment after = sync(p);
            if (after.status() == PaymentStatus.PAID || after.status() == PaymentStatus.REFUNDED) {
                throw alreadyPaid(after);
            }
            if (after.status() != PaymentStatus.CLOSED && !isClosedAtAlipay(p)) {
                throw new ApiException(
                                HttpStatus.BAD_GATEWAY,
                                "alipay_rejected",
                                "Alipay refused to close the trade: " + e.getMessage())
                        .with("alipay_sub_code", e.subCode());
            }
        } catch (AlipayException e) {
            throw unavailable(e);
        }
    }

    private boolean isClosedAtAlipay(Payment p) {
        try {
            return alipay.execute(QueryRequest.byOutTradeNo(p.outTradeNo())).tradeStatus() == TradeStatus.TRADE_CLOSED;
        } catch (AlipayException e) {
            return false;
        }
    }

    /** Asks Alipay about the payment (and its unsettled refunds) and applies what it says. */
    public PaymentView syncNow(String id) {
        Payment p = find(id);
        try {
            p = sync(p);
        } catch (AlipayException e) {
            throw unavailable(e);
        } catch (WechatPayException e) {
            throw WechatPayments.unavailable(e);
        }
        String paymentId = p.id();
        followUps.orderedStream().forEach(f -> f.afterSyncNow(paymentId)); // its unsettled refunds
        return views.of(reload(id));
    }

    /**
     * Asks the payment's gateway (both, Alipay first, for an {@code any_qr} payment no wallet has paid) and
     * applies a definite answer.
     *
     * @throws AlipayException    when Alipay could not be asked
     * @throws WechatPayException when WeChat Pay could not be asked
     */
    public Payment sync(Payment p) {
        if (p.channel() != Channel.WECHATPAY) {
            p = syncAlipay(p);
        }
        if (p.channel() != Channel.ALIPAY && p.status() == PaymentStatus.PENDING && wechat.isEnabled()) {
            wechat.sync(p);
            p = reload(p.id());
        }
        return p;
    }

    /**
     * Queries the trade and applies a definite answer; {@code ACQ.TRADE_NOT_EXIST} (QR not scanned yet, cashier
     * not opened) changes nothing.
     */
    private Payment syncAlipay(Payment p) {
        QueryRequest.Response trade;
        try {
            trade = alipay.execute(QueryRequest.byOutTradeNo(p.outTradeNo()));
        } catch (AlipayGatewayException e) {
            if ("ACQ.TRADE_NOT_EXIST".equals(e.subCode())) {
                return reload(p.id());
            }
            throw e;
        }
        if (!AmountGuard.matches(p, trade.totalAmount(), AmountGuard.Source.QUERY)) {
            log.error(
                    "Alipay reports {} for payment {} ({}) of {}: not applied",
                    trade.totalAmount(),
                    p.id(),
                    p.outTradeNo(),
                    p.amount());
            return reload(p.id());
        }
        TradeStatus status = trade.tradeStatus();
        if (status != null && status.isPaid()) {
            ledger.markPaid(p.id(), trade.tradeNo(), trade.buyerLogonId(), AlipayTimes.toInstant(trade.sendPayDate()));
        } else if (status == TradeStatus.TRADE_CLOSED
                && p.channel() == Channel.ALIPAY
                && reload(p.id()).status() == PaymentStatus.PENDING) {
            ledger.markClosed(p.id(), null, null);
        } else if (trade.tradeNo() != null && p.channel() == Channel.ALIPAY) {
            payments.rememberTradeNo(p.id(), trade.tradeNo(), clock.instant());
        }
        return reload(p.id());
    }

    private ApiException alreadyPaid(Payment p) {
        String detail = p.status() == PaymentStatus.REFUNDED
                ? "The payment was paid and is fully refunded: there is nothing to close"
                : "The payment is " + p.status() + "; refund it instead";
        return ApiException.conflict("payment_already_paid", detail).with("payment", views.of(p));
    }

    private Payment find(String id) {
        return payments.find(id).orElseThrow(() -> ApiException.notFound("payment_not_found", "No payment " + id));
    }

    private Payment reload(String id) {
        return payments.find(id).orElseThrow();
    }
}
