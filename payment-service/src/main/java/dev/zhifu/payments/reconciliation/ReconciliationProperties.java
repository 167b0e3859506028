package dev.zhifu.payments.reconciliation;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code payments.reconciliation.*}: the daily reconciliation of each channel against its own trade bill (Alipay's,
 * and WeChat Pay's when it is enabled; docs/payment-channels.md#reconciliation).
 *
 * @param enabled       whether the scheduled job runs (the API works either way)
 * @param cron          when the job enqueues the previous days (Spring cron, six fields); Alipay publishes a
 *                      day's bill the next day after about 09:00 GMT+8 (docs/alipay-protocol.md#s11.12)
 * @param zone          the zone of {@code cron}
 * @param lookbackDays  how many days before today the job makes sure are reconciled
 * @param pollInterval  how often due days (new, waiting for their bill, failed) are looked for
 * @param retryInterval how long to wait before asking again for a bill that is not published yet, or after a failure
 * @param maxAttempts   failed runs (not waiting for the bill) are retried this many times, then left for a person
 * @param grace         payments paid this close to midnight are looked for in the neighbouring day's bill too
 *                      before they count as missing at Alipay (clocks differ by seconds)
 * @param lease         how long an instance holds a day it reconciles; renewed while it runs
 * @param batchSize     bill lines matched per database round trip
 * @param feeRate       when set (e.g. {@code 0.006}), the day's Alipay service fees (服务费) are checked against it
 * @param wechatpay     {@code payments.reconciliation.wechatpay.*}: what is WeChat Pay's own
 */
@ConfigurationProperties("payments.reconciliation")
public record ReconciliationProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("0 30 9 * * *") String cron,
        @DefaultValue("Asia/Shanghai") ZoneId zone,
        @DefaultValue("3") int lookbackDays,
        @DefaultValue("1m") Duration pollInterval,
        @DefaultValue("30m") Duration retryInterval,
        @DefaultValue("10") int maxAttempts,
        @DefaultValue("15m") Duration grace,
        @DefaultValue("10m") Duration lease,
        @DefaultValue("500") int batchSize,
        BigDecimal feeRate,
        @DefaultValue Wechatpay wechatpay) {

    /**
     * @param feeRate when set (e.g. {@code 0.006}), the day's WeChat Pay fees (手续费) are checked against it
     */
    public record Wechatpay(BigDecimal feeRate) {

        public Wechatpay {
            checkRate("payments.reconciliation.wechatpay.fee-rate", feeRate);
        }
    }

    /** Without WeChat Pay settings. */
    public ReconciliationProperties(
            boolean enabled,
            String cron,
            ZoneId zone,
            int lookbackDays,
            Duration pollInterval,
            Duration retryInterval,
            int maxAttempts,
            Duration grace,
            Duration lease,
            int batchSize,
            BigDecimal feeRate) {
        this(
                enabled,
                cron,
                zone,
                lookbackDays,
                pollInterval,
                retryInterval,
                maxAttempts,
                grace,
                lease,
                batchSize,
                feeRate,
                new Wechatpay(null));
    }

    @ConstructorBinding
    public ReconciliationProperties {
        if (wechatpay == null) {
            wechatpay = new Wechatpay(null);
        }
        if (lookbackDays < 1 || lookbackDays > 90) {
            throw new IllegalArgumentException("payments.reconciliation.lookback-days: 1 to 90, got " + lookbackDays);
        }
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("payments.reconciliation.batch-size: 1 to 1000, got " + batchSize);
        }
        if (grace.isNegative() || grace.compareTo(Duration.ofHours(2)) > 0) {
            throw new IllegalArgumentException("payments.reconciliation.grace: 0 to 2h, got " + grace);
        }
        checkRate("payments.reconciliation.fee-rate", feeRate);
    }

    /** The fee rate of a channel's bill; null: its fees are not checked. */
    public BigDecimal feeRate(dev.zhifu.payments.payments.Channel channel) {
        return channel == dev.zhifu.payments.payments.Channel.WECHATPAY ? wechatpay.feeRate() : feeRate;
    }

    private static void checkRate(String name, BigDecimal rate) {
        if (rate != null && (rate.signum() < 0 || rate.compareTo(BigDecimal.ONE) >= 0)) {
            throw new IllegalArgumentException(name + ": a fraction such as 0.006, got " + rate);
        }
    }
}
