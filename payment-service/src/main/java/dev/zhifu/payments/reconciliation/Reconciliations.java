package dev.zhifu.payments.reconciliation;

import dev.zhifu.alipay.AlipayGatewayException;
import dev.zhifu.alipay.AlipayTransportException;
import dev.zhifu.alipay.HttpTransport;
import dev.zhifu.alipay.trade.BillUrlRequest;
import dev.zhifu.alipay.trade.BillUrlResponse;
import dev.zhifu.payments.alipay.AlipayGateway;
import dev.zhifu.payments.alipay.AlipayTimes;
import dev.zhifu.payments.operations.JobMetrics;
import dev.zhifu.payments.payments.Channel;
import dev.zhifu.payments.storage.Ids;
import dev.zhifu.payments.wechatpay.WechatPayGateway;
import dev.zhifu.wechatpay.WechatPayApiException;
import dev.zhifu.wechatpay.payments.BillType;
import dev.zhifu.wechatpay.payments.BillUrl;
import java.io.ByteArrayInputStream;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Reconciles one day (GMT+8) of each channel against its own bill (docs/payment-channels.md#reconciliation): Alipay's
 * always, WeChat Pay's when WeChat Pay is enabled. For each channel it takes the day's lease, asks for the bill URL
 * (Alipay's {@code trade} bill, docs/alipay-protocol.md#s11.12; WeChat Pay's trade bill {@code bill_type=ALL},
 * docs/wechatpay-protocol.md#s11), keeps the downloaded file ({@link BillStore}), matches its lines
 * ({@link BillMatcher}, {@link WechatBillMatcher}), makes the safe repairs ({@link SafeRepairs}) and records the
 * outcome. Re-running a day replaces its result: findings are keyed by day, channel, kind and reference, and those
 * the new run did not make again are dropped unless repaired or resolved.
 */
@Service
public class Reconciliations {

    private static final Logger log = LoggerFactory.getLogger(Reconciliations.class);
    private static final String EMPTY_BILL = "EMPTY_DATA_WITH_BILL_FILE";
    /** WeChat Pay's answer for a day without a bill (docs/sandbox.md#wechatpay-bills: no trade that day). */
    private static final String NO_STATEMENT = "NO_STATEMENT_EXIST";

    /** Another instance (or request) is reconciling the day right now. */
    public static final class InProgressException extends RuntimeException {
        InProgressException(LocalDate day, Channel channel) {
            super("day " + day + " (" + channel.wire() + ") is being reconciled right now");
        }
    }

    private final ReconciliationRepository repository;
    private final BillStore bills;
    private final SafeRepairs repairs;
    private final AlipayGateway alipay;
    private final WechatPayGateway wechat;
    private final ReconciliationProperties properties;
    private final Clock clock;
    private final JobMetrics metrics;
    private final String owner = "recon-" + Ids.random(10);

    public Reconciliations(
            ReconciliationRepository repository,
            BillStore bills,
            SafeRepairs repairs,
            AlipayGateway alipay,
            WechatPayGateway wechat,
            ReconciliationProperties properties,
            Clock clock,
            JobMetrics metrics) {
        this.wechat = wechat;
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

    /** The channels reconciled: Alipay, and WeChat Pay while it is enabled. */
    public List<Channel> channels() {
        List<Channel> channels = new ArrayList<>(List.of(Channel.ALIPAY));
        if (wechat.isEnabled()) {
            channels.add(Channel.WECHATPAY);
        }
        return channels;
    }

    /**
     * Reconciles the day of every channel now (downloading each bill) and answers the day of them all
     * ({@link ReconciliationDay#combine}): RECONCILED, WAITING_FOR_BILL (a bill not published yet: asked again
     * after {@code retry-interval}) or FAILED (retried likewise).
     *
     * @throws InProgressException when someone else holds the day of a channel (the other channels are run)
     */
    public ReconciliationDay run(LocalDate day) {
        InProgressException held = null;
        for (Channel channel : channels()) {
            try {
                run(day, channel);
            } catch (InProgressException e) {
                held = e;
            }
        }
        if (held != null) {
            throw held;
        }
        return ReconciliationDay.combine(repository.channels(day));
    }

    /**
     * Reconciles the day of one channel now and answers its row.
     *
     * @throws InProgressException when someone else holds it
     */
    public ReconciliationDay run(LocalDate day, Channel channel) {
        return channel == Channel.WECHATPAY ? runWechat(day, null) : run(day, (InputStream) null);
    }

    /**
     * Reconciles Alipay's day against a bill zip at hand instead of downloading it (kept as the day's file all the
     * same).
     */
    public ReconciliationDay runWithBill(LocalDate day, InputStream zip) {
        return run(day, zip);
    }

    /** Reconciles WeChat Pay's day against a trade bill's text at hand (kept as the day's file all the same). */
    public ReconciliationDay runWithWechatBill(LocalDate day, String text) {
        return runWechat(day, text);
    }

    private Instant claim(LocalDate day, Channel channel) {
        Instant now = clock.instant();
        repository.ensureDay(day, channel, now);
        if (!repository.claim(day, channel, owner, now, now.plus(properties.lease()))) {
            throw new InProgressException(day, channel);
        }
        return now;
    }

    private ReconciliationDay run(LocalDate day, InputStream given) {
        Channel channel = Channel.ALIPAY;
        Instant now = claim(day, channel);
        int runNo = repository.find(day, channel).orElseThrow().runNo();
        Runnable keepLease = leaseKeeper(day, channel);
        long started = System.nanoTime();
        try {
            String fileCode = null;
            String fileName = "given_" + day.format(DateTimeFormatter.BASIC_ISO_DATE) + ".csv.zip";
            BillStore.Stored stored;
            if (given != null) {
                stored = bills.write(day, channel, runNo, given);
            } else {
                BillUrlResponse url;
                try {
                    url = alipay.client().execute(BillUrlRequest.trade(day));
                } catch (AlipayGatewayException e) {
                    if (notPublishedYet(e)) {
                        return waitForBill(day, channel, "Alipay has not published the bill yet (" + e.subCode() + ")");
                    }
                    throw e;
                }
                fileCode = url.billFileCode();
                fileName = fileName(url.billDownloadUrl(), day);
                try (InputStream zip = download(url.billDownloadUrl())) {
                    stored = bills.write(day, channel, runNo, zip);
                }
            }
            repository.billStored(
                    day, channel, owner, runNo, fileCode, fileName, stored.size(), stored.sha256(), clock.instant());
            bills.keepOnly(day, channel, runNo);
            keepLease.run();
            ReconciliationRepository.Totals totals;
            try (InputStream zip = bills.open(day, channel, runNo)) {
                totals = new BillMatcher(repository, properties, clock, day, runNo, keepLease)
                        .run(zip, EMPTY_BILL.equals(fileCode));
            }
            finish(day, channel, runNo, now, started, totals, keepLease);
        } catch (RuntimeException | IOException e) {
            fail(day, channel, runNo, e);
        }
        return repository.find(day, channel).orElseThrow();
    }

    private ReconciliationDay runWechat(LocalDate day, String given) {
        Channel channel = Channel.WECHATPAY;
        Instant now = claim(day, channel);
        ReconciliationDay current = repository.find(day, channel).orElseThrow();
        int runNo = current.runNo();
        Runnable keepLease = leaseKeeper(day, channel);
        long started = System.nanoTime();
        try {
            String text = given;
            String fileName = "given_wechatpay_" + day.format(DateTimeFormatter.BASIC_ISO_DATE) + ".csv";
            if (given == null) {
                fileName = "wechatpay_tradebill_" + day.format(DateTimeFormatter.BASIC_ISO_DATE) + "_ALL.csv";
                try {
                    BillUrl url = wechat.execute(c -> c.tradeBillUrl(day, BillType.ALL, true));
                    text = wechat.execute(c -> c.downloadBill(url, true));
                } catch (WechatPayApiException e) {
                    if (!NO_STATEMENT.equals(e.code())) {
                        throw e;
                    }
                    if (day.isAfter(today())) {
                        return waitForBill(day, channel, "WeChat Pay has no bill for the day yet (" + e.code() + ")");
                    }
                    if (repository.hasActivity(channel, BillMatcher.startOf(day), BillMatcher.startOf(day.plusDays(1)))
                            && current.attempts() < properties.maxAttempts()) {
                        return waitForBill(
                                day,
                                channel,
                                "WeChat Pay has no bill for the day (" + e.code() + ") although payments or refunds "
                                        + "went through it here: not published yet? After " + properties.maxAttempts()
                                        + " attempts the day is reconciled as one without lines");
                    }
                    text = null; // no trade that day: nothing to keep, every payment of ours is checked all the same
                }
            }
            if (text != null) {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                BillStore.Stored stored = bills.write(day, channel, runNo, new ByteArrayInputStream(bytes));
                repository.billStored(
                        day, channel, owner, runNo, null, fileName, stored.size(), stored.sha256(), clock.instant());
                bills.keepOnly(day, channel, runNo);
            }
            keepLease.run();
            ReconciliationRepository.Totals totals =
                    new WechatBillMatcher(repository, properties, clock, day, runNo, keepLease).run(text);
            finish(day, channel, runNo, now, started, totals, keepLease);
        } catch (RuntimeException | IOException e) {
            fail(day, channel, runNo, e);
        }
        return repository.find(day, channel).orElseThrow();
    }

    private ReconciliationDay waitForBill(LocalDate day, Channel channel, String why) {
        Instant next = clock.instant().plus(properties.retryInterval());
        repository.endWithout(
                day,
                channel,
                owner,
                ReconciliationDay.WAITING_FOR_BILL,
                why + "; asking again at " + next,
                next,
                clock.instant());
        log.info("Reconciliation {} {}: {}, asking again at {}", day, channel, why, next);
        return repository.find(day, channel).orElseThrow();
    }

    private void finish(
            LocalDate day,
            Channel channel,
            int runNo,
            Instant now,
            long started,
            ReconciliationRepository.Totals totals,
            Runnable keepLease) {
        int repaired = repairs.repairDay(day, channel, properties.batchSize(), keepLease);
        int dropped = repository.deleteStaleOpen(day, channel, runNo);
        repository.reconciled(day, channel, owner, totals, clock.instant());
        metrics.run(JobMetrics.RECONCILIATION, JobMetrics.Outcome.SUCCESS);
        repository
                .foundSince(day, channel, now)
                .forEach((kind, n) -> metrics.discrepancies(kind.toLowerCase(Locale.ROOT), n));
        log.info(
                "Reconciliation {} {} run {}: {} lines, {} matched, {} repaired, {} earlier findings gone, {} ms",
                day,
                channel,
                runNo,
                totals.lines(),
                totals.matched(),
                repaired,
                dropped,
                (System.nanoTime() - started) / 1_000_000);
    }

    private void fail(LocalDate day, Channel channel, int runNo, Exception e) {
        ReconciliationDay current = repository.find(day, channel).orElseThrow();
        boolean giveUp = current.attempts() >= properties.maxAttempts();
        Instant next = giveUp ? null : clock.instant().plus(properties.retryInterval());
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        repository.endWithout(day, channel, owner, ReconciliationDay.FAILED, error, next, clock.instant());
        metrics.run(JobMetrics.RECONCILIATION, JobMetrics.Outcome.FAILURE);
        log.warn(
                "Reconciliation {} {} run {} failed{}: {}",
                day,
                channel,
                runNo,
                giveUp ? " (no more automatic attempts)" : ", retried at " + next,
                error);
    }

    /** Renews the lease when half of it has gone; a lost lease stops the run. */
    private Runnable leaseKeeper(LocalDate day, Channel channel) {
        Instant[] renewedAt = {clock.instant()};
        return () -> {
            Instant now = clock.instant();
            if (now.isAfter(renewedAt[0].plus(properties.lease().dividedBy(2)))) {
                if (!repository.renew(day, channel, owner, now.plus(properties.lease()))) {
                    throw new IllegalStateException(
                            "lost the lease of day " + day + " (" + channel.wire() + ") to another instance");
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
