package dev.zhifu.payments.payments;

import dev.zhifu.alipay.AlipayException;
import dev.zhifu.payments.jobs.BackgroundWork;
import dev.zhifu.payments.jobs.CallBudget;
import dev.zhifu.payments.jobs.LeasedJob;
import dev.zhifu.payments.jobs.SyncProperties;
import dev.zhifu.payments.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Order sync: asks Alipay about every payment still PENDING whose {@code next_sync_at} has come, each pause twice
 * the payment's age ({@link SyncProperties#nextQueryAfter}: often while young, rarely when old, never past
 * {@code expires_at} plus the margin), so a lost notification never leaves a paid payment pending; a buyer back on
 * the return page brings the next query forward ({@link PaymentQueries#buyerReturned}). Its calls stay within
 * {@link CallBudget}, the longest overdue payment first. {@code ACQ.TRADE_NOT_EXIST} (a QR code nobody scanned)
 * changes nothing. Past its expiry a payment is closed at Alipay first, then here; one that turns out paid
 * meanwhile becomes PAID, not CLOSED. Unfinished barcode polls are carried on ({@link BarcodePoller}).
 * Rows are taken with leases ({@link Leases}), so several instances share the backlog and each payment is
 * asked about by one of them at a time.
 */
@Component
public class PaymentSyncJob {

    private static final Logger log = LoggerFactory.getLogger(PaymentSyncJob.class);

    private final PaymentRepository payments;
    private final PaymentService service;
    private final PaymentLedger ledger;
    private final BarcodePoller barcode;
    private final ObjectProvider<PaymentFollowUp> followUps;
    private final BackgroundWork work;
    private final SyncProperties settings;
    private final LeasedJob syncLost;
    private final CallBudget budget;
    private final Clock clock;

    private final dev.zhifu.payments.operations.JobMetrics jobs;

    public PaymentSyncJob(
            PaymentRepository payments,
            PaymentService service,
            PaymentLedger ledger,
            BarcodePoller barcode,
            ObjectProvider<PaymentFollowUp> followUps,
            BackgroundWork work,
            SyncProperties settings,
            CallBudget budget,
            Clock clock,
            dev.zhifu.payments.operations.JobMetrics jobs) {
        this.budget = budget;
        this.jobs = jobs;
        this.payments = payments;
        this.service = service;
        this.ledger = ledger;
        this.barcode = barcode;
        this.followUps = followUps;
        this.work = work;
        this.settings = settings;
        this.syncLost = PaymentJobs.syncLost(settings.expiryMargin());
        this.clock = clock;
    }

    /** Payments, then what follows them ({@link PaymentFollowUp}: refunds with an unknown outcome). */
    @Scheduled(fixedDelayString = "${payments.sync.interval:5s}", initialDelayString = "${payments.sync.interval:5s}")
    public void scheduled() {
        try {
            jobs.run(dev.zhifu.payments.operations.JobMetrics.SYNC, this::runOnce);
        } catch (RuntimeException e) {
            log.warn("Payment sync failed: {}", e.getMessage());
        }
        followUps.orderedStream().forEach(followUp -> {
            try {
                followUp.afterScheduledSync();
            } catch (RuntimeException e) {
                log.warn("{} sync failed: {}", followUp.name(), e.getMessage());
            }
        });
    }

    /**
     * The buyer is back on the return page while the payment is still pending: its next query comes now, unless
     * one is due within the first interval anyway (the page reloads itself; a reload is no reason to ask again).
     */
    public void buyerReturned(String paymentId) {
        Instant now = clock.instant();
        payments.bringSyncForward(paymentId, now, now.plus(settings.firstInterval()));
    }

    /** Works through what is due now; answers how many payments were looked at. */
    public int runOnce() {
        // two claims, not one with OR (PaymentJobs.SYNC_DUE says why)
        int due = work.drain(PaymentJobs.SYNC_DUE, this::processItem, this::failed, budget);
        int lost = work.drain(syncLost, this::processItem, this::failed, budget);
        return due + lost;
    }

    private void processItem(String id) {
        jobs.item(dev.zhifu.payments.operations.JobMetrics.SYNC, id, () -> process(id));
    }

    private void failed(String id, RuntimeException e) {
        log.warn("Sync of payment {} failed: {}", id, e.toString());
        payments.scheduleSync(id, clock.instant().plus(settings.firstInterval()));
    }

    /** One payment, whose lease the caller holds. */
    private void process(String id) {
        Payment p = payments.find(id).orElse(null);
        if (p == null || p.status() != PaymentStatus.PENDING) {
            return;
        }
        Instant now = clock.instant();
        Optional<Instant> barcodeDeadline = payments.barcodeDeadline(id);
        Instant closeAt = p.expiresAt().plus(settings.expiryMargin());
        Instant next;
        if (barcodeDeadline.isPresent()) {
            next = barcode.step(p, barcodeDeadline.get());
        } else if (now.isAfter(closeAt)) {
            next = expire(p, now);
        } else {
            try {
                service.sync(p);
            } catch (AlipayException | dev.zhifu.wechatpay.WechatPayException e) {
                log.info("Sync of payment {} not conclusive: {}", p.id(), e.getMessage());
            }
            next = now.plus(settings.nextQueryAfter(Duration.between(p.createdAt(), now)));
            if (next.isAfter(closeAt)) {
                next = closeAt; // never queried past expiry plus the margin: then it is closed
            }
        }
        if (next != null) {
            payments.scheduleSync(id, next); // only while still PENDING
        }
    }

    /** Closes an expired payment at Alipay, then here; answers when to try again, or null when settled. */
    private Instant expire(Payment p, Instant now) {
        try {
            service.closeAtGateways(p);
        } catch (ApiException e) {
            Payment after = payments.find(p.id()).orElseThrow();
            if (after.status() != PaymentStatus.PENDING) {
                log.info("Expired payment {} turned out {} at Alipay", p.id(), after.status());
                return null;
            }
            log.info("Expired payment {} not closed yet ({}): tried again later", p.id(), e.getMessage());
            return now.plus(settings.retryAfter(Duration.between(p.expiresAt(), now)));
        }
        ledger.markClosed(p.id(), "expired", "not paid before expires_at");
        return null;
    }
}
