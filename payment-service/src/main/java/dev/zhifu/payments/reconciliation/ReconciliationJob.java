package dev.zhifu.payments.reconciliation;

import dev.zhifu.payments.payments.Channel;
import dev.zhifu.payments.storage.DatabaseHealth;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The daily job. At {@code payments.reconciliation.cron} (and at start-up) it makes sure the last
 * {@code lookback-days} days have a row per channel (Alipay's, and WeChat Pay's when enabled); every
 * {@code poll-interval} it runs the days of a channel that are due: new ones, those waiting for the gateway to
 * publish their bill, and failed ones (up to {@code max-attempts}). Several instances may poll at once: a day of
 * a channel is run by whichever takes its lease.
 */
@Component
@EnableConfigurationProperties(ReconciliationProperties.class)
public class ReconciliationJob {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationJob.class);

    private final Reconciliations reconciliations;
    private final ReconciliationRepository repository;
    private final ReconciliationProperties properties;
    private final Clock clock;

    private final DatabaseHealth database;

    ReconciliationJob(
            Reconciliations reconciliations,
            ReconciliationRepository repository,
            ReconciliationProperties properties,
            Clock clock,
            DatabaseHealth database) {
        this.database = database;
        this.reconciliations = reconciliations;
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(
            cron = "${payments.reconciliation.cron:0 30 9 * * *}",
            zone = "${payments.reconciliation.zone:Asia/Shanghai}")
    public void daily() {
        if (properties.enabled()) {
            enqueue();
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    public void atStartUp() {
        daily();
    }

    @Scheduled(
            fixedDelayString = "${payments.reconciliation.poll-interval:1m}",
            initialDelayString = "${payments.reconciliation.poll-interval:1m}")
    public void poll() {
        if (!properties.enabled() || !database.reachable()) {
            return; // while the database is unreachable the due days wait for the next poll
        }
        try {
            runDue();
        } catch (RuntimeException e) {
            log.warn("Reconciliation poll failed: {}", e.getMessage());
        }
    }

    /**
     * Makes sure the days before today (GMT+8) within the look-back have a row, and queues again those reconciled
     * before they were over; answers the days queued.
     */
    public List<LocalDate> enqueue() {
        LocalDate today = reconciliations.today();
        List<LocalDate> added = new ArrayList<>();
        for (int i = properties.lookbackDays(); i >= 1; i--) {
            LocalDate day = today.minusDays(i);
            for (Channel channel : reconciliations.channels()) {
                if ((repository.ensureDay(day, channel, clock.instant())
                                || repository.requeueIfRunBefore(
                                        day, channel, BillMatcher.startOf(day.plusDays(1)), clock.instant()))
                        && !added.contains(day)) {
                    added.add(day);
                }
            }
        }
        if (!added.isEmpty()) {
            log.info("Reconciliation: days {} queued", added);
        }
        return added;
    }

    /** Runs the due days (of a channel) one after the other; answers how many this instance ran. */
    public int runDue() {
        int ran = 0;
        List<Channel> channels = reconciliations.channels();
        // the days of a channel turned off since (WeChat Pay) wait until it is on again
        // ten days a poll, as before channels: a day has a row per channel
        for (ReconciliationRepository.DayKey due : repository.due(clock.instant(), channels, 10 * channels.size())) {
            try {
                reconciliations.run(due.day(), due.channel());
                ran++;
            } catch (Reconciliations.InProgressException taken) {
                // another instance has it
            }
        }
        return ran;
    }
}
