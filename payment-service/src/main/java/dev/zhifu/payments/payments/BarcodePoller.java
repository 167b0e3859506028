package dev.zhifu.payments.payments;

import dev.zhifu.alipay.AlipayException;
import dev.zhifu.alipay.trade.CancelRequest;
import dev.zhifu.alipay.trade.QueryRequest;
import dev.zhifu.alipay.trade.TradeRef;
import dev.zhifu.alipay.trade.TradeStatus;
import dev.zhifu.payments.alipay.AlipayGateway;
import dev.zhifu.payments.alipay.AlipayTimes;
import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.jobs.BackgroundWork;
import dev.zhifu.payments.jobs.Leases;
import dev.zhifu.payments.jobs.SyncProperties;
import dev.zhifu.payments.operations.JobMetrics;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Barcode pay answered 10003 (the buyer is confirming), 20000, {@code ACQ.SYSTEM_ERROR} or timed out: Alipay's
 * advice is to query with pauses until a deadline, then cancel (docs/alipay-protocol.md#s11.2, #s11.9). The API keeps answering
 * PENDING meanwhile. The deadline and the next check are stored on the payment ({@code barcode_deadline},
 * {@code next_sync_at}); this instance wakes itself up for them, and {@link PaymentSyncJob} carries the poll
 * on after a restart or on another instance. Each check takes the payment's lease, so one instance polls it.
 */
@Component
public class BarcodePoller {

    private static final Logger log = LoggerFactory.getLogger(BarcodePoller.class);
    private static final int CANCEL_ATTEMPTS = 4;

    private final PaymentRepository payments;
    private final PaymentLedger ledger;
    private final AlipayGateway alipay;
    private final PaymentsProperties.Barcode settings;
    private final Leases leases;
    private final BackgroundWork work;
    private final SyncProperties sync;
    private final Clock clock;
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "barcode-poller");
        t.setDaemon(true);
        return t;
    });

    private final JobMetrics jobs;

    public BarcodePoller(
            PaymentRepository payments,
            PaymentLedger ledger,
            AlipayGateway alipay,
            PaymentsProperties properties,
            Leases leases,
            BackgroundWork work,
            SyncProperties sync,
            Clock clock,
            JobMetrics jobs) {
        this.jobs = jobs;
        this.payments = payments;
        this.ledger = ledger;
        this.alipay = alipay;
        this.settings = properties.barcode();
        this.leases = leases;
        this.work = work;
        this.sync = sync;
        this.clock = clock;
    }

    /** Starts polling a barcode payment whose outcome is unknown; stored first, so a restart carries it on. */
    public void watch(String paymentId) {
        Instant now = clock.instant();
        payments.startBarcodePoll(paymentId, now.plus(settings.deadline()), now.plus(settings.firstPoll()));
        wakeUp(paymentId, settings.firstPoll());
    }

    private void wakeUp(String paymentId, Duration delay) {
        if (!work.accepting() || executor.isShutdown()) {
            return; // stored: the sync job of whichever instance runs next takes it
        }
        try {
            executor.schedule(
                    () -> jobs.item(JobMetrics.BARCODE_POLL, paymentId, () -> checkNow(paymentId)),
                    Math.max(0, delay.toMillis()),
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // shutting down; the stored next check remains
        }
    }

    private void checkNow(String paymentId) {
        if (!work.enter()) {
            return;
        }
        Instant next = null;
        try {
            if (!leases.claimOne(PaymentJobs.BARCODE_POLL, paymentId, clock.instant(), sync.lease())) {
                return; // another instance (or this one's sync job) has it and stores the next check
            }
            try {
                Payment p = payments.find(paymentId).orElse(null);
                Optional<Instant> deadline = payments.barcodeDeadline(paymentId);
                if (p != null && p.status() == PaymentStatus.PENDING && deadline.isPresent()) {
                    next = step(p, deadline.get());
                    if (next != null) {
                        payments.scheduleSync(paymentId, next);
                    }
                }
            } finally {
                leases.release(PaymentJobs.BARCODE_POLL, paymentId);
            }
        } catch (RuntimeException e) {
            log.error("Barcode poll of {} failed; the sync job takes it up", paymentId, e);
        } finally {
            work.exit();
        }
        if (next != null) {
            wakeUp(paymentId, Duration.between(clock.instant(), next));
        }
    }

    /**
     * One check of a barcode payment (the caller holds its lease): applies a final answer, cancels after the
     * deadline. Answers when to check again, or null when the payment is settled.
     */
    Instant step(Payment p, Instant deadline) {
        if (settle(p)) {
            return null;
        }
        Instant now = clock.instant();
        if (now.isAfter(deadline)) {
            return cancel(p) ? null : now.plus(settings.maxPoll());
        }
        // growing pauses: as long as the poll has lasted, between the first and the longest pause
        Duration elapsed = Duration.between(deadline.minus(settings.deadline()), now);
        Duration pause = elapsed.compareTo(settings.firstPoll()) < 0
                ? settings.firstPoll()
                : elapsed.compareTo(settings.maxPoll()) > 0 ? settings.maxPoll() : elapsed;
        return now.plus(pause);
    }

    /** True when the query gave a final answer and it was applied. */
    private boolean settle(Payment p) {
        QueryRequest.Response trade;
        try {
            trade = alipay.execute(QueryRequest.byOutTradeNo(p.outTradeNo()));
        } catch (AlipayException e) {
            log.info("Barcode payment {}: query not conclusive ({})", p.id(), e.getMessage());
            return false;
        }
        if (!AmountGuard.matches(p, trade.totalAmount(), AmountGuard.Source.QUERY)) {
            log.error(
                    "Barcode payment {}: Alipay reports amount {} instead of {}",
                    p.id(),
                    trade.totalAmount(),
                    p.amount());
            return false;
        }
        if (trade.tradeStatus() != null && trade.tradeStatus().isPaid()) {
            ledger.markPaid(p.id(), trade.tradeNo(), trade.buyerLogonId(), AlipayTimes.toInstant(trade.sendPayDate()));
            return true;
        }
        if (trade.tradeStatus() == TradeStatus.TRADE_CLOSED) {
            ledger.markClosed(p.id(), "trade_closed", "Alipay closed the trade");
            return true;
        }
        return false;
    }

    /** True when the trade was cancelled (or found settled) and the payment closed. */
    private boolean cancel(Payment p) {
        for (int attempt = 1; attempt <= CANCEL_ATTEMPTS; attempt++) {
            try {
                CancelRequest.Response answer = alipay.execute(CancelRequest.of(TradeRef.outTradeNo(p.outTradeNo())));
                if (answer.retryFlag()) {
                    sleep(Duration.ofSeconds(attempt));
                    continue;
                }
                // "refund": it had been paid and the cancel gave the money back; either way nothing was received
                ledger.markClosed(
                        p.id(),
                        "buyer_did_not_confirm",
                        "not confirmed in time; cancelled at Alipay"
                                + ("refund".equals(answer.action()) ? " (the payment was refunded)" : ""));
                return true;
            } catch (AlipayException e) {
                log.warn("Cancel of barcode payment {} failed (attempt {}): {}", p.id(), attempt, e.getMessage());
                if (settle(p)) {
                    return true;
                }
                if (!e.isResultUnknown()) {
                    break; // e.g. not sent (circuit open): the next check tries again
                }
                sleep(Duration.ofSeconds(attempt));
            }
        }
        log.warn("Barcode payment {} not cancelled yet; tried again at its next check", p.id());
        return false;
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
