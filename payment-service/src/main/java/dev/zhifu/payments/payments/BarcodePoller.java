package dev.zhifu.payments.payments;

import dev.zhifu.alipay.AlipayException;
import dev.zhifu.alipay.trade.CancelRequest;
import dev.zhifu.alipay.trade.QueryRequest;
import dev.zhifu.alipay.trade.TradeRef;
import dev.zhifu.alipay.trade.TradeStatus;
import dev.zhifu.payments.PaymentsProperties;
import dev.zhifu.payments.alipay.AlipayGateway;
import dev.zhifu.payments.operations.JobMetrics;
import dev.zhifu.payments.support.Money;
import dev.zhifu.payments.support.Times;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Barcode pay answered 10003 (the buyer is confirming), 20000, {@code ACQ.SYSTEM_ERROR} or timed out: Alipay's
 * advice is to query with pauses until a deadline, then cancel (SPEC §11.2, §11.9). The API keeps answering
 * PENDING meanwhile. The next check is also stored on the payment, for a restart or another instance.
 */
@Component
public class BarcodePoller {

    private static final Logger log = LoggerFactory.getLogger(BarcodePoller.class);
    private static final int CANCEL_ATTEMPTS = 5;

    private final PaymentRepository payments;
    private final PaymentLedger ledger;
    private final AlipayGateway alipay;
    private final PaymentsProperties.Barcode settings;
    private final Clock clock;
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "barcode-poller");
        t.setDaemon(true);
        return t;
    });

    private final JobMetrics jobs;

    public BarcodePoller(PaymentRepository payments, PaymentLedger ledger, AlipayGateway alipay,
                         PaymentsProperties properties, Clock clock, JobMetrics jobs) {
        this.jobs = jobs;
        this.payments = payments;
        this.ledger = ledger;
        this.alipay = alipay;
        this.settings = properties.barcode();
        this.clock = clock;
    }

    public void watch(String paymentId) {
        Instant deadline = clock.instant().plus(settings.deadline());
        schedule(paymentId, settings.firstPoll(), deadline);
    }

    private void schedule(String paymentId, Duration delay, Instant deadline) {
        payments.scheduleSync(paymentId, clock.instant().plus(delay));
        executor.schedule(() -> jobs.item(JobMetrics.BARCODE_POLL, paymentId, () -> poll(paymentId, delay, deadline)),
                delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll(String paymentId, Duration lastDelay, Instant deadline) {
        try {
            Payment p = payments.find(paymentId).orElse(null);
            if (p == null || p.status() != PaymentStatus.PENDING) {
                return;
            }
            if (settle(p)) {
                return;
            }
            if (clock.instant().isAfter(deadline)) {
                cancel(p);
                return;
            }
            Duration next = lastDelay.multipliedBy(2);
            schedule(paymentId, next.compareTo(settings.maxPoll()) > 0 ? settings.maxPoll() : next, deadline);
        } catch (RuntimeException e) {
            log.error("Barcode poll of {} failed; left for the next sync", paymentId, e);
        }
    }

    /** True when the query gave a final answer and it was applied. */
    private boolean settle(Payment p) {
        QueryRequest.Response trade;
        try {
            trade = alipay.client().execute(QueryRequest.byOutTradeNo(p.outTradeNo()));
        } catch (AlipayException e) {
            log.info("Barcode payment {}: query not conclusive ({})", p.id(), e.getMessage());
            return false;
        }
        if (trade.totalAmount() != null && !Money.equal(trade.totalAmount(), p.amount())) {
            log.error("Barcode payment {}: Alipay reports amount {} instead of {}", p.id(), trade.totalAmount(), p.amount());
            return false;
        }
        if (trade.tradeStatus() != null && trade.tradeStatus().isPaid()) {
            ledger.markPaid(p.id(), trade.tradeNo(), trade.buyerLogonId(), Times.fromAlipay(trade.sendPayDate()));
            return true;
        }
        if (trade.tradeStatus() == TradeStatus.TRADE_CLOSED) {
            ledger.markClosed(p.id(), "trade_closed", "Alipay closed the trade");
            return true;
        }
        return false;
    }

    private void cancel(Payment p) {
        for (int attempt = 1; attempt <= CANCEL_ATTEMPTS; attempt++) {
            try {
                CancelRequest.Response answer = alipay.client().execute(CancelRequest.of(TradeRef.outTradeNo(p.outTradeNo())));
                if (answer.retryFlag()) {
                    sleep(Duration.ofSeconds(attempt));
                    continue;
                }
                // "refund": it had been paid and the cancel gave the money back; either way nothing was received
                ledger.markClosed(p.id(), "buyer_did_not_confirm", "not confirmed in time; cancelled at Alipay"
                        + ("refund".equals(answer.action()) ? " (the payment was refunded)" : ""));
                return;
            } catch (AlipayException e) {
                log.warn("Cancel of barcode payment {} failed (attempt {}): {}", p.id(), attempt, e.getMessage());
                if (settle(p)) {
                    return;
                }
                sleep(Duration.ofSeconds(attempt));
            }
        }
        log.error("Barcode payment {} could not be cancelled; left PENDING for sync", p.id());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
