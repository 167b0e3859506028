package dev.zhifu.sandbox.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zhifu.alipay.crypto.SignContent;
import dev.zhifu.alipay.crypto.SignType;
import dev.zhifu.sandbox.faults.FaultPlan;
import dev.zhifu.sandbox.gateway.AlipaySigning;
import dev.zhifu.sandbox.http.FormCodec;
import dev.zhifu.sandbox.time.AlipayTime;
import dev.zhifu.sandbox.time.Scheduler;
import dev.zhifu.sandbox.trade.Money;
import dev.zhifu.sandbox.trade.Refund;
import dev.zhifu.sandbox.trade.Trade;
import dev.zhifu.sandbox.trade.TradeEvents;
import dev.zhifu.sandbox.trade.TradeStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends asynchronous notifications as Alipay does (docs/alipay-protocol.md#s9): a signed form POST to the trade's
 * {@code notify_url}, re-sent with the same {@code notify_id} until the body is exactly {@code success}.
 */
public final class NotificationCenter implements TradeEvents {

    /** Gaps between the 8 sends (docs/alipay-protocol.md#s9.1), before dividing by the time scale. */
    public static final List<Duration> RETRY_GAPS = List.of(
            Duration.ofMinutes(4),
            Duration.ofMinutes(10),
            Duration.ofMinutes(10),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofHours(6),
            Duration.ofHours(15));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter NOTIFY_DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final int MAX_BODY = 2000;

    /** One send and what came back; {@code httpStatus} 0 = no HTTP answer (refused, timed out, dropped). */
    public record Attempt(Instant at, int httpStatus, String body) {}

    private static final class Notification {
        final String notifyId;
        final String outTradeNo;
        final String tradeStatus;
        final String url;
        final String charsetName;
        final Map<String, String> params;
        final List<Attempt> attempts = new ArrayList<>();
        boolean acknowledged;

        Notification(
                String notifyId,
                String outTradeNo,
                String tradeStatus,
                String url,
                String charsetName,
                Map<String, String> params) {
            this.notifyId = notifyId;
            this.outTradeNo = outTradeNo;
            this.tradeStatus = tradeStatus;
            this.url = url;
            this.charsetName = charsetName;
            this.params = params;
        }
    }

    private final Clock clock;
    private final Scheduler scheduler;
    private final AlipaySigning signing;
    private final FaultPlan faults;
    private final Redelivery redelivery;
    private final String sellerEmail;
    private final HttpClient http;
    private final Map<String, List<Notification>> byOutTradeNo = new LinkedHashMap<>();
    private final ReorderHold reorder;
    private final AtomicLong sequence = new AtomicLong();

    public NotificationCenter(
            Clock clock,
            Scheduler scheduler,
            AlipaySigning signing,
            FaultPlan faults,
            double timeScale,
            String sellerEmail) {
        this(clock, scheduler, signing, faults, timeScale, sellerEmail, new ReorderHold(faults, scheduler));
    }

    /** {@code reorder}: the hold shared with the WeChat Pay side, so a reorder group may mix both gateways. */
    public NotificationCenter(
            Clock clock,
            Scheduler scheduler,
            AlipaySigning signing,
            FaultPlan faults,
            double timeScale,
            String sellerEmail,
            ReorderHold reorder) {
        this.clock = clock;
        this.reorder = reorder;
        this.scheduler = scheduler;
        this.signing = signing;
        this.faults = faults;
        this.redelivery = new Redelivery(scheduler, RETRY_GAPS, timeScale);
        this.sellerEmail = sellerEmail;
        // HTTP/1.1 as Alipay posts: no h2c upgrade offer on plain http
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    // -------------------------------------------------------------- trade events (called under the desk lock)

    @Override
    public void paid(Trade trade) {
        publish(trade, TradeStatus.TRADE_SUCCESS.name(), new LinkedHashMap<>());
    }

    @Override
    public void closed(Trade trade) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("gmt_close", AlipayTime.format(trade.gmtClose()));
        publish(trade, TradeStatus.TRADE_CLOSED.name(), extra);
    }

    @Override
    public void refunded(Trade trade, Refund refund) {
        Map<String, String> extra = new LinkedHashMap<>();
        // partial refund: still TRADE_SUCCESS; full refund: TRADE_CLOSED with gmt_close (docs/alipay-protocol.md#s9.4)
        extra.put("out_biz_no", refund.outRequestNo());
        extra.put("refund_fee", Money.format(trade.refundedAmount()));
        extra.put("gmt_refund", AlipayTime.formatMillis(refund.at()));
        if (trade.status() == TradeStatus.TRADE_CLOSED) {
            extra.put("gmt_close", AlipayTime.format(trade.gmtClose()));
        }
        publish(trade, trade.status().name(), extra);
    }

    private void publish(Trade trade, String tradeStatus, Map<String, String> extra) {
        if (trade.notifyUrl() == null) {
            return;
        }
        Instant now = clock.instant();
        String charsetName = trade.charset() == null ? "utf-8" : trade.charset().toLowerCase(Locale.ROOT);
        String notifyId = NOTIFY_DAY.format(now.atOffset(AlipayTime.ZONE)) + "00222"
                + String.format("%06d", (now.getEpochSecond() % 86400))
                + String.format("%015d", sequence.incrementAndGet());
        Map<String, String> p = new LinkedHashMap<>();
        p.put("gmt_create", AlipayTime.format(trade.gmtCreate()));
        p.put("charset", charsetName);
        p.put("seller_email", sellerEmail);
        p.put("subject", trade.subject());
        p.put("body", trade.body());
        p.put("notify_id", notifyId);
        p.put("notify_type", "trade_status_sync");
        p.put("trade_status", tradeStatus);
        p.put("app_id", trade.appId());
        p.put("sign_type", "RSA2");
        p.put("seller_id", trade.sellerId());
        p.put("notify_time", AlipayTime.format(now));
        p.put("passback_params", trade.passbackParams());
        p.put("version", "1.0");
        p.put("out_trade_no", trade.outTradeNo());
        p.put("total_amount", Money.format(trade.totalAmount()));
        p.put("trade_no", trade.tradeNo());
        p.put("auth_app_id", trade.appId());
        if (trade.paid()) {
            String amount = Money.format(trade.totalAmount());
            p.put("buyer_id", trade.buyer().userId());
            p.put("buyer_logon_id", trade.buyer().logonId());
            p.put("invoice_amount", amount);
            p.put("receipt_amount", amount);
            p.put("buyer_pay_amount", amount);
            p.put("point_amount", "0.00");
            p.put("gmt_payment", AlipayTime.format(trade.gmtPayment()));
            // notifications spell it fundChannel, queries fund_channel (docs/alipay-protocol.md#s9.2)
            p.put("fund_bill_list", "[{\"amount\":\"" + amount + "\",\"fundChannel\":\"ALIPAYACCOUNT\"}]");
        }
        p.putAll(extra);
        p.values().removeIf(v -> v == null || v.isEmpty());
        Charset charset = Charset.forName(charsetName);
        p.put("sign", signing.sign(SignContent.ofNotification(p), charset, SignType.RSA2));

        Notification n = new Notification(
                notifyId,
                trade.outTradeNo(),
                tradeStatus,
                trade.notifyUrl(),
                charsetName,
                Collections.unmodifiableMap(p));
        synchronized (this) {
            byOutTradeNo
                    .computeIfAbsent(trade.outTradeNo(), k -> new ArrayList<>())
                    .add(n);
        }
        FaultPlan.NotificationFault fault = faults.takeNewNotificationFault();
        if (fault == FaultPlan.NotificationFault.DELAY) {
            scheduler.schedule(faults.takeDelay(), () -> send(n, false));
        } else if (fault == FaultPlan.NotificationFault.DUPLICATE) {
            scheduler.schedule(Duration.ZERO, () -> send(n, true));
        } else if (fault == FaultPlan.NotificationFault.REORDER) {
            reorder.hold(() -> send(n, false));
        } else {
            scheduler.schedule(Duration.ZERO, () -> send(n, false));
        }
    }

    /** Sends held (reorder) notifications now, WeChat Pay's too when the hold is shared; used when faults are cleared. */
    public void releaseHeld() {
        reorder.releaseAll();
    }

    // -------------------------------------------------------------- delivery

    private void send(Notification n, boolean twice) {
        redelivery.send(
                new Redelivery.Delivery() {
                    @Override
                    public boolean acknowledged() {
                        synchronized (NotificationCenter.this) {
                            return n.acknowledged;
                        }
                    }

                    @Override
                    public boolean attempt() {
                        return NotificationCenter.this.attempt(n);
                    }
                },
                twice);
    }

    private boolean attempt(Notification n) {
        Instant at = clock.instant();
        Attempt result;
        if (faults.takeDrop()) {
            result = new Attempt(at, 0, "dropped by fault injection (never sent)");
        } else {
            result = post(n, at);
        }
        boolean ok = result.httpStatus() == 200 && "success".equals(result.body());
        synchronized (this) {
            n.attempts.add(result);
            n.acknowledged |= ok;
        }
        return ok;
    }

    private Attempt post(Notification n, Instant at) {
        Charset charset = Charset.forName(n.charsetName);
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(n.url))
                    .timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=" + n.charsetName)
                    .header("User-Agent", "Mozilla/4.0")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(
                            FormCodec.encode(n.params, charset).getBytes(charset)))
                    .build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            String body = new String(response.body(), charset);
            return new Attempt(
                    at, response.statusCode(), body.length() > MAX_BODY ? body.substring(0, MAX_BODY) : body);
        } catch (IOException | IllegalArgumentException e) {
            return new Attempt(at, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(at, 0, "interrupted");
        }
    }

    // -------------------------------------------------------------- inspection

    /** {@code [{notify_id, notify_type, trade_status, acknowledged, attempts:[{at, http_status, body}]}]}, oldest first. */
    public synchronized ArrayNode describe(String outTradeNo) {
        ArrayNode list = JSON.createArrayNode();
        for (Notification n : byOutTradeNo.getOrDefault(outTradeNo, List.of())) {
            ObjectNode o = list.addObject();
            o.put("notify_id", n.notifyId);
            o.put("notify_type", "trade_status_sync");
            o.put("trade_status", n.tradeStatus);
            o.put("acknowledged", n.acknowledged);
            ArrayNode attempts = o.putArray("attempts");
            for (Attempt a : n.attempts) {
                attempts.addObject()
                        .put("at", a.at().toString())
                        .put("http_status", a.httpStatus())
                        .put("body", a.body());
            }
            o.put("notify_url", n.url);
            ObjectNode params = o.putObject("params");
            n.params.forEach(params::put);
        }
        return list;
    }
}
