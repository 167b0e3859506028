package dev.zhifu.payments.reconciliation;

import dev.zhifu.alipay.AlipayGatewayException;
import dev.zhifu.alipay.AlipayTransportException;
import dev.zhifu.alipay.HttpTransport;
import dev.zhifu.alipay.trade.BillUrlRequest;
import dev.zhifu.alipay.trade.BillUrlResponse;
import dev.zhifu.payments.alipay.AlipayGateway;
import dev.zhifu.payments.alipay.AlipayTimes;
import dev.zhifu.payments.operations.JobMetrics;
import dev.zhifu.payments.storage.Ids;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Reconciles one Alipay day (GMT+8): takes the day's lease, asks for the {@code trade} bill URL (docs/alipay-protocol.md#s11.12),
 * keeps the downloaded zip ({@link BillStore}), matches its lines ({@link BillMatcher}), makes the safe repairs
 * ({@link SafeRepairs}) and records the outcome. Re-running a day replaces its result: findings are keyed by day,
 * kind and reference, and those the new run did not make again are dropped unless repaired or resolved.
 */
@Service
public class Reconciliations {

    private static final Logger log = LoggerFactory.getLogger(Reconciliations.class);
    private static final String EMPTY_BILL = "EMPTY_DATA_WITH_BILL_FILE";

    /** Another instance (or request) is reconciling the day right now. */
    public static final class InProgressException extends RuntimeException {
        InProgressException(LocalDate day) {
            super("day " + day + " is being reconciled right now");
        }
    }

    private final ReconciliationRepository repository;
    private final BillStore bills;
    private final SafeRepairs repairs;
    private final AlipayGateway alipay;
    private final ReconciliationProperties properties;
    private final Clock clock;
    private final JobMetrics metrics;
    private final String owner = "recon-" + Ids.random(10);

    public Reconciliations(
            ReconciliationRepository repository,
            BillStore bills,
            SafeRepairs repairs,
            AlipayGateway alipay,
            ReconciliationProperties properties,
            Clock clock,
            JobMetrics metrics) {
        this.metrics = metrics;
        metrics.discrepancyKinds(Arrays.stream(DiscrepancyKind.values())
                .map(k -> k.name().toLowerCase(Locale.ROOT))
                .toList());
        this.repository = repository;
        this.bills = bills;
        this.repairs = repairs;
        this.alipay = alipay;
        this.properties = properties;
        this.clock = clock;
    }

    /** Today in Alipay's zone, by this service's clock. */
    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), AlipayTimes.ZONE);
    }

    /**
     * Reconciles the day now (downloading its bill from Alipay) and answers its state: RECONCILED, WAITING_FOR_BILL
     * (not published yet: asked again after {@code retry-interval}) or FAILED (retried likewise).
     *
     * @throws InProgressException when someone else holds the day
     */
    public ReconciliationDay run(LocalDate day) {
        return run(day, null);
    }

    /** Reconciles the day against a bill zip at hand instead of downloading it (kept as the day's file all the same). */
    public ReconciliationDay runWithBill(LocalDate day, InputStream zip) {
        return run(day, zip);
    }

    private ReconciliationDay run(LocalDate day, InputStream given) {
        Instant now = clock.instant();
        repository.ensureDay(day, now);
        if (!repository.claim(day, owner, now, now.plus(properties.lease()))) {
            throw new InProgressException(day);
        }
        int runNo = repository.find(day).orElseThrow().runNo();
        Runnable keepLease = leaseKeeper(day);
        long started = System.nanoTime();
        try {
            String fileCode = null;
            String fileName = "given_" + day.format(DateTimeFormatter.BASIC_ISO_DATE) + ".csv.zip";
            BillStore.Stored stored;
            if (given != null) {
                stored = bills.write(day, runNo, given);
            } else {
                BillUrlResponse url;
                try {
                    url = alipay.client().execute(BillUrlRequest.trade(day));
                } catch (AlipayGatewayException e) {
                    if (notPublishedYet(e)) {
                        Instant next = clock.instant().plus(properties.retryInterval());
                        repository.endWithout(
                                day,
                                owner,
                                ReconciliationDay.WAITING_FOR_BILL,
                                "Alipay has not published " + "the bill yet (" + e.subCode() + "); asking again at "
                                        + next,
                                next,
                                clock.instant());
                        log.info(
                                "Reconciliation {}: bill not published yet ({}), asking again at {}",
                                day,
                                e.subCode(),
                                next);
                        return repository.find(day).orElseThrow();
                    }
                    throw e;
                }
                fileCode = url.billFileCode();
                fileName = fileName(url.billDownloadUrl(), day);
                try (InputStream zip = download(url.billDownloadUrl())) {
                    stored = bills.write(day, runNo, zip);
                }
            }
            repository.billStored(
                    day, owner, runNo, fileCode, fileName, stored.size(), stored.sha256(), clock.instant());
            bills.keepOnly(day, runNo);
            keepLease.run();
            ReconciliationRepository.Totals totals;
            try (InputStream zip = bills.open(day, runNo)) {
                totals = new BillMatcher(repository, properties, clock, day, runNo, keepLease)
                        .run(zip, EMPTY_BILL.equals(fileCode));
            }
            int repaired = repairs.repairDay(day, properties.batchSize(), keepLease);
            int dropped = repository.deleteStaleOpen(day, runNo);
            repository.reconciled(day, owner, totals, clock.instant());
            metrics.run(JobMetrics.RECONCILIATION, JobMetrics.Outcome.SUCCESS);
            repository
                    .foundSince(day, now)
                    .forEach((kind, n) -> metrics.discrepancies(kind.toLowerCase(java.util.Locale.ROOT), n));
            log.info(
                    "Reconciliation {} run {}: {} lines, {} matched, {} repaired, {} earlier findings gone, {} ms",
                    day,
                    runNo,
                    totals.lines(),
                    totals.matched(),
                    repaired,
                    dropped,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException | IOException e) {
            ReconciliationDay current = repository.find(day).orElseThrow();
            boolean giveUp = current.attempts() >= properties.maxAttempts();
            Instant next = giveUp ? null : clock.instant().plus(properties.retryInterval());
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            repository.endWithout(day, owner, ReconciliationDay.FAILED, error, next, clock.instant());
            metrics.run(JobMetrics.RECONCILIATION, JobMetrics.Outcome.FAILURE);
            log.warn(
                    "Reconciliation {} run {} failed{}: {}",
                    day,
                    runNo,
                    giveUp ? " (no more automatic attempts)" : ", retried at " + next,
                    error);
        }
        return repository.find(day).orElseThrow();
    }

    /** Renews the lease when half of it has gone; a lost lease stops the run. */
    private Runnable leaseKeeper(LocalDate day) {
        Instant[] renewedAt = {clock.instant()};
        return () -> {
            Instant now = clock.instant();
            if (now.isAfter(renewedAt[0].plus(properties.lease().dividedBy(2)))) {
                if (!repository.renew(day, owner, now.plus(properties.lease()))) {
                    throw new IllegalStateException("lost the lease of day " + day + " to another instance");
                }
                renewedAt[0] = now;
            }
        };
    }

    /**
     * Alipay has no bill for the day yet (published T+1 after about 09:00; the sandbox answers this for future
     * days). The sub code is unconfirmed for Alipay (docs/alipay-protocol.md#s11.12): {@code isp.bill_not_exist} and kin.
     */
    static boolean notPublishedYet(AlipayGatewayException e) {
        String sub = e.subCode() == null ? "" : e.subCode().toLowerCase(Locale.ROOT);
        return sub.contains("bill_not_exist")
                || sub.contains("bill_not_ready")
                || sub.contains("bill_date_invalid_not_ready");
    }

    /** Streams the zip from the URL (valid 30 s) through the client's transport. */
    private InputStream download(String url) {
        try {
            HttpTransport.StreamedAnswer answer = alipay.client()
                    .config()
                    .transport()
                    .get(URI.create(url), alipay.client().config().readTimeout());
            if (answer.status() / 100 != 2) {
                answer.body().close();
                throw new AlipayTransportException(
                        "bill.download",
                        "bill download answered HTTP " + answer.status(),
                        answer.status(),
                        false,
                        null);
            }
            return answer.body();
        } catch (IOException e) {
            throw new UncheckedIOException("bill download failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while downloading the bill", e);
        }
    }

    /** {@code downloadFileName} of the URL (e.g. {@code 20880000000000010156_20250101.csv.zip}). */
    static String fileName(String url, LocalDate day) {
        String query = URI.create(url).getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("downloadFileName=")) {
                    return URLDecoder.decode(pair.substring("downloadFileName=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        return "trade_" + day.format(DateTimeFormatter.BASIC_ISO_DATE) + ".csv.zip";
    }
}
