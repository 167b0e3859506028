package dev.zhifu.sandbox.wechat.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zhifu.sandbox.faults.FaultPlan;
import dev.zhifu.sandbox.notify.Redelivery;
import dev.zhifu.sandbox.notify.ReorderHold;
import dev.zhifu.sandbox.time.Scheduler;
import dev.zhifu.sandbox.wechat.auth.ApiV3Cipher;
import dev.zhifu.sandbox.wechat.auth.PlatformSigner;
import dev.zhifu.sandbox.wechat.pay.WechatJson;
import dev.zhifu.sandbox.wechat.pay.WechatRefund;
import dev.zhifu.sandbox.wechat.pay.WechatTime;
import dev.zhifu.sandbox.wechat.pay.WechatTrade;
import dev.zhifu.sandbox.wechat.pay.WechatTradeEvents;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Tells the merchant's {@code notify_url} what happened, as WeChat Pay does: a JSON POST whose {@code resource} is
 * encrypted with the APIv3 key, signed in the {@code Wechatpay-*} headers, re-sent on WeChat Pay's schedule until
 * the merchant answers 200 or 204. The same event keeps its {@code id} on every send.
 */
public final class WechatNotifier implements WechatTradeEvents {

    /** Gaps between the 16 sends, before dividing by the time scale: WeChat Pay's published schedule. */
    public static final List<Duration> RETRY_GAPS = List.of(
            Duration.ofSeconds(15),
            Duration.ofSeconds(15),
            Duration.ofSeconds(30),
            Duration.ofMinutes(3),
            Duration.ofMinutes(10),
            Duration.ofMinutes(20),
            Duration.ofMinutes(30),
            Duration.ofMinutes(30),
            Duration.ofMinutes(30),
            Duration.ofMinutes(60),
            Duration.ofHours(3),
            Duration.ofHours(3),
            Duration.ofHours(3),
            Duration.ofHours(6),
            Duration.ofHours(6));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 2000;

    /** One send and what came back; {@code httpStatus} 0 = no HTTP answer (refused, timed out, dropped). */
    public record Attempt(Instant at, int httpStatus, String body) {}

    private static final class Notice {
        final String id;
        final String eventType;
        final String outTradeNo;
        final String url;
        final String body;
        final List<Attempt> attempts = new ArrayList<>();
        boolean acknowledged;

        Notice(String id, String eventType, String outTradeNo, String url, String body) {
            this.id = id;
            this.eventType = eventType;
            this.outTradeNo = outTradeNo;
            this.url = url;
            this.body = body;
        }
    }

    private final Clock clock;
    private final Scheduler scheduler;
    private final PlatformSigner signer;
    private final ApiV3Cipher cipher;
    private final FaultPlan faults;
    private final Redelivery redelivery;
    private final HttpClient http;
    private final ReorderHold reorder;
    private final Map<String, List<Notice>> byOutTradeNo = new LinkedHashMap<>();

    /** {@code reorder}: the hold Alipay's notifications use too (docs/sandbox.md#wechatpay-notifications). */
    public WechatNotifier(
            Clock clock,
            Scheduler scheduler,
            PlatformSigner signer,
            ApiV3Cipher cipher,
            FaultPlan faults,
            double timeScale,
            ReorderHold reorder) {
        this.clock = clock;
        this.reorder = reorder;
        this.scheduler = scheduler;
        this.signer = signer;
        this.cipher = cipher;
        this.faults = faults;
        this.redelivery = new Redelivery(scheduler, RETRY_GAPS, timeScale);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public void paid(WechatTrade trade) {
        publish(
                trade.outTradeNo(),
                trade.notifyUrl(),
                "TRANSACTION.SUCCESS",
                "支付成功",
                "transaction",
                WechatJson.transaction(trade).toString());
    }

    @Override
    public void refunded(WechatTrade trade, WechatRefund refund) {
        publish(
                trade.outTradeNo(),
                refund.notifyUrl(),
                "REFUND.SUCCESS",
                "退款成功",
                "refund",
                WechatJson.refundNotice(trade, refund).toString());
    }

    private void publish(
            String outTradeNo, String url, String eventType, String summary, String originalType, String plaintext) {
        if (url == null || url.isEmpty()) {
            return;
        }
        ApiV3Cipher.Sealed sealed = cipher.seal(originalType, plaintext);
        ObjectNode body = JSON.createObjectNode();
        String id = UUID.randomUUID().toString();
        body.put("id", id);
        body.put("create_time", WechatTime.format(clock.instant()));
        body.put("resource_type", "encrypt-resource");
        body.put("event_type", eventType);
        body.put("summary", summary);
        body.putObject("resource")
                .put("original_type", originalType)
                .put("algorithm", ApiV3Cipher.ALGORITHM)
                .put("ciphertext", sealed.ciphertext())
                .put("associated_data", sealed.associatedData())
                .put("nonce", sealed.nonce());
        Notice notice = new Notice(id, eventType, outTradeNo, url, body.toString());
        synchronized (this) {
            byOutTradeNo.computeIfAbsent(outTradeNo, k -> new ArrayList<>()).add(notice);
        }
        FaultPlan.NotificationFault fault = faults.takeNewNotificationFault();
        if (fault == FaultPlan.NotificationFault.DELAY) {
            scheduler.schedule(faults.takeDelay(), () -> send(notice, false));
        } else if (fault == FaultPlan.NotificationFault.REORDER) {
            reorder.hold(() -> send(notice, false));
        } else {
            scheduler.schedule(Duration.ZERO, () -> send(notice, fault == FaultPlan.NotificationFault.DUPLICATE));
        }
    }

    private void send(Notice notice, boolean twice) {
        redelivery.send(
                new Redelivery.Delivery() {
                    @Override
                    public boolean acknowledged() {
                        synchronized (WechatNotifier.this) {
                            return notice.acknowledged;
                        }
                    }

                    @Override
                    public boolean attempt() {
                        return WechatNotifier.this.attempt(notice);
                    }
                },
                twice);
    }

    private boolean attempt(Notice notice) {
        Instant at = clock.instant();
        Attempt result =
                faults.takeDrop() ? new Attempt(at, 0, "dropped by fault injection (never sent)") : post(notice, at);
        // WeChat Pay takes any 2xx without a body as "received"; the docs name 200 and 204
        boolean ok = result.httpStatus() == 200 || result.httpStatus() == 204;
        synchronized (this) {
            notice.attempts.add(result);
            notice.acknowledged |= ok;
        }
        return ok;
    }

    private Attempt post(Notice notice, Instant at) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(notice.url))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .header("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048")
                    .POST(HttpRequest.BodyPublishers.ofString(notice.body, StandardCharsets.UTF_8));
            signer.sign(notice.body, signer.merchantMode()).forEach(request::header);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Attempt(
                    at, response.statusCode(), body.length() > MAX_BODY ? body.substring(0, MAX_BODY) : body);
        } catch (IOException | IllegalArgumentException e) {
            return new Attempt(at, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(at, 0, "interrupted");
        }
    }

    public synchronized boolean knows(String outTradeNo) {
        return byOutTradeNo.containsKey(outTradeNo);
    }

    /** {@code [{id, event_type, acknowledged, attempts:[{at, http_status, body}], notify_url, body}]}, oldest first. */
    public synchronized ArrayNode describe(String outTradeNo) {
        ArrayNode list = JSON.createArrayNode();
        for (Notice n : byOutTradeNo.getOrDefault(outTradeNo, List.of())) {
            ObjectNode o = list.addObject();
            o.put("id", n.id);
            o.put("channel", "wechatpay");
            o.put("event_type", n.eventType);
            o.put("acknowledged", n.acknowledged);
            ArrayNode attempts = o.putArray("attempts");
            for (Attempt a : n.attempts) {
                attempts.addObject()
                        .put("at", a.at().toString())
                        .put("http_status", a.httpStatus())
                        .put("body", a.body());
            }
            o.put("notify_url", n.url);
            o.put("body", n.body);
        }
        return list;
    }
}
