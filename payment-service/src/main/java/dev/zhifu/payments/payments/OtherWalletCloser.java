package dev.zhifu.payments.payments;

import dev.zhifu.alipay.AlipayException;
import dev.zhifu.alipay.trade.CloseRequest;
import dev.zhifu.alipay.trade.TradeRef;
import dev.zhifu.payments.alipay.AlipayGateway;
import dev.zhifu.wechatpay.WechatPayException;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Once one wallet has paid an {@code any_qr} payment, the other wallet's order for it (if the buyer opened the code
 * there too) is closed, so that the buyer cannot pay a second time (docs/payment-channels.md#any-qr). Best effort,
 * after the commit and off the thread that made the payment PAID, so a notification's answer never waits for the
 * other gateway: an order that could not be closed still expires at its time, and a second payment that slips
 * through is caught as a {@code paid_by_other_wallet} anomaly.
 */
@Component
class OtherWalletCloser {

    private static final Logger log = LoggerFactory.getLogger(OtherWalletCloser.class);

    /** Published by {@link PaymentLedger} in the transaction that made an {@code any_qr} payment PAID. */
    record AnyQrPaid(String paymentId, String outTradeNo, Channel paidWith) {}

    private final AlipayGateway alipay;
    private final WechatPayments wechat;
    private final PaymentRepository payments;
    /** One thread, a bounded queue: closes beyond it are dropped (the orders expire anyway). */
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1_000),
            r -> {
                Thread t = new Thread(r, "other-wallet-closer");
                t.setDaemon(true);
                return t;
            },
            new ThreadPoolExecutor.DiscardPolicy());

    OtherWalletCloser(AlipayGateway alipay, WechatPayments wechat, PaymentRepository payments) {
        this.alipay = alipay;
        this.wechat = wechat;
        this.payments = payments;
    }

    @TransactionalEventListener
    void onPaid(AnyQrPaid paid) {
        executor.execute(() -> close(paid));
    }

    private void close(AnyQrPaid paid) {
        try {
            if (paid.paidWith() == Channel.WECHATPAY) {
                alipay.execute(CloseRequest.of(TradeRef.outTradeNo(paid.outTradeNo())));
            } else if (wechat.isEnabled()) {
                // a WeChat order that turns out paid is applied, and so recorded as paid_by_other_wallet
                payments.find(paid.paymentId()).ifPresent(wechat::close);
            }
            log.info(
                    "any_qr payment {} paid with {}: the other wallet's order is closed",
                    paid.paymentId(),
                    paid.paidWith().wire());
        } catch (AlipayException | WechatPayException e) {
            // never opened in that wallet (ACQ.TRADE_NOT_EXIST, ORDER_NOT_EXIST) is the common case
            log.debug("any_qr payment {}: other wallet's order not closed: {}", paid.paymentId(), e.getMessage());
        } catch (RuntimeException e) {
            log.warn("any_qr payment {}: closing the other wallet's order failed", paid.paymentId(), e);
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
