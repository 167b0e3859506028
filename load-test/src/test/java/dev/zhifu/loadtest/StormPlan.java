package dev.zhifu.loadtest;

import dev.zhifu.wechatpay.notify.NotificationSigner.SignedNotification;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * What a notification storm sends (StormIT, DatabaseFaults): payments with random amounts, and for them each
 * payment's TRADE_SUCCESS, Alipay's re-sends of it (same notify_id, a later notify_time, so a new signature),
 * TRADE_FINISHED with a notify_id of its own, and byte-identical duplicates, shuffled; and the sends themselves,
 * each due at a time as Alipay's retry schedule would make it (faster).
 *
 * <p>Payments made with {@code wechat_native} (StormIT, DatabaseFaults) get WeChat Pay's notifications instead: TRANSACTION.SUCCESS,
 * WeChat Pay's re-sends of it (a new id, nonce and timestamp, so a new signature) and byte-identical duplicates (same
 * body, same headers). WeChat Pay's are signed only when {@link #signWechat} is called, just before the storm:
 * the service refuses a {@code Wechatpay-Timestamp} more than 5 minutes away (docs/wechatpay-protocol.md#s4).
 */
final class StormPlan {

    private StormPlan() {}

    static final String ALIPAY_METHOD = "qr";
    static final String WECHAT_METHOD = "wechat_native";

    /**
     * A payment of the storm; {@code instance} is the service instance that creates it (and is notified);
     * {@code method} decides the channel and so whose notifications it gets.
     */
    record Pay(String outTradeNo, String amount, int instance, String method) {
        Pay(String outTradeNo, String amount, int instance) {
            this(outTradeNo, amount, instance, ALIPAY_METHOD);
        }

        boolean wechat() {
            return WECHAT_METHOD.equals(method);
        }

        /** The channel as the service stores it ({@code payments.channel}, {@code received_notifications.channel}). */
        String channel() {
            return wechat() ? "WECHATPAY" : "ALIPAY";
        }
    }

    /**
     * One notification to send: Alipay's signed form {@code body}, or WeChat Pay's {@code wechat} (headers and body,
     * shared by its byte-identical duplicates).
     */
    record Note(int index, Pay payment, String notifyId, String kind, byte[] body, WechatSend wechat) {
        Note(int index, Pay payment, String notifyId, String kind, byte[] body) {
            this(index, payment, notifyId, kind, body, null);
        }
    }

    /**
     * A WeChat Pay notification: its id and resource chosen up front, signed by {@link #signWechat} as at
     * {@code now - ageSeconds}, and signed again as WeChat Pay re-sends it (same id, new nonce and timestamp)
     * should a retry find the signature close to the 5-minute bound.
     */
    static final class WechatSend {
        private static final Duration RESIGN_AFTER = Duration.ofMinutes(4);

        final String id;
        final String resource;
        final int ageSeconds;
        private WechatNotifications signer;
        private SignedNotification signed;
        private Instant at;

        WechatSend(String id, String resource, int ageSeconds) {
            this.id = id;
            this.resource = resource;
            this.ageSeconds = ageSeconds;
        }

        synchronized void sign(WechatNotifications wechat, Instant now) {
            signer = wechat;
            at = now.minusSeconds(ageSeconds);
            signed = wechat.transactionSuccess(id, resource, at);
        }

        /** The signed notification to send now; an exact duplicate gets the very same one. */
        synchronized SignedNotification signed() {
            if (signed == null) {
                throw new IllegalStateException("WeChat Pay notification " + id + " not signed");
            }
            if (Duration.between(at, Instant.now()).compareTo(RESIGN_AFTER) > 0) {
                at = Instant.now();
                signed = signer.transactionSuccess(id, resource, at);
            }
            return signed;
        }
    }

    /**
     * The request that sends {@code note} to the service at {@code base} as its wallet does: Alipay's signed form to
     * {@code /notify/alipay}, or WeChat Pay's JSON and {@code Wechatpay-*} headers to {@code /notify/wechatpay} (the
     * same headers and body each time: WeChat Pay's retry of one notification).
     */
    static HttpRequest request(Note note, String base, Duration timeout) {
        if (note.wechat() == null) {
            return HttpRequest.newBuilder(URI.create(base + "/notify/alipay"))
                    .timeout(timeout)
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(note.body()))
                    .build();
        }
        SignedNotification signed = note.wechat().signed();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/notify/wechatpay"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(signed.body(), StandardCharsets.UTF_8));
        signed.headers().forEach(b::header);
        return b.build();
    }

    /**
     * Whether the wallet takes the service's answer to {@code note} as an acknowledgement: Alipay's 200
     * {@code success}, WeChat Pay's 204 (the service's answer when it durably applied it); anything else is sent again.
     */
    static boolean acknowledged(Note note, int status, String body) {
        return acknowledged(note.wechat() != null, status, body);
    }

    /** The same for a WeChat Pay ({@code wechat}) or an Alipay notification. */
    static boolean acknowledged(boolean wechat, int status, String body) {
        return wechat ? status == 204 : status == 200 && "success".equals(body);
    }

    /** A send that is due at a time: the first try, or a re-send later. */
    record Attempt(Note note, int number, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueNanos, ((Attempt) o).dueNanos);
        }
    }

    /** {@code count} payments named {@code prefix-i}, 0.01 to 99,999.99, spread over {@code instances}. */
    static List<Pay> payments(String prefix, int count, int instances, Random random) {
        return payments(prefix, count, instances, 0, random);
    }

    /**
     * The same, {@code wechatPercent} % of them ({@code wechat_native}, payments {@code i} with
     * {@code i % 100 < wechatPercent} after a shuffle of the numbers) paid with WeChat Pay, the rest with Alipay.
     */
    static List<Pay> payments(String prefix, int count, int instances, int wechatPercent, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            order.add(i % 100);
        }
        if (wechatPercent > 0) { // Alipay only: the same draws from a seed as before WeChat Pay
            Collections.shuffle(order, random);
        }
        List<Pay> payments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int cents = 1 + random.nextInt(9_999_999);
            payments.add(new Pay(
                    prefix + "-" + i,
                    (cents / 100) + "." + String.format("%02d", cents % 100),
                    i % instances,
                    order.get(i) < wechatPercent ? WECHAT_METHOD : ALIPAY_METHOD));
        }
        return payments;
    }

    /**
     * {@code total - duplicates} distinct notifications (each payment's first TRADE_SUCCESS, then re-sends and
     * TRADE_FINISHED at random) plus {@code duplicates} byte-identical copies, shuffled and numbered.
     */
    static List<Note> notifications(
            List<Pay> payments, AlipayNotifications alipay, Random random, int total, int duplicates) {
        record Plan(Pay payment, String kind, Map<String, String> params, WechatSend wechat) {
            Plan(Pay payment, String kind, Map<String, String> params) {
                this(payment, kind, params, null);
            }
        }
        List<Plan> plans = new ArrayList<>();
        Map<Pay, Map<String, String>> first = new LinkedHashMap<>();
        Map<Pay, String> wechatResource = new LinkedHashMap<>();
        LocalDateTime t = AlipayNotifications.nowInChina().minusMinutes(30);
        for (Pay p : payments) {
            if (p.wechat()) {
                // paid before the first notification (signed as at a minute before the storm); re-sends later
                String resource = WechatNotifications.paidTransaction(
                        p.outTradeNo(),
                        p.amount(),
                        WechatNotifications.newTransactionId(),
                        Instant.now().minusSeconds(120));
                wechatResource.put(p, resource);
                plans.add(new Plan(
                        p, "TRANSACTION.SUCCESS", null, new WechatSend(WechatNotifications.newId(), resource, 60)));
                continue;
            }
            Map<String, String> params = AlipayNotifications.trade(
                    p.outTradeNo(),
                    p.amount(),
                    "TRADE_SUCCESS",
                    AlipayNotifications.newNotifyId(),
                    AlipayNotifications.newTradeNo(),
                    t);
            first.put(p, params);
            plans.add(new Plan(p, "TRADE_SUCCESS", params));
        }
        while (plans.size() < total - duplicates) {
            Pay p = payments.get(random.nextInt(payments.size()));
            if (p.wechat()) {
                // WeChat Pay's re-send: the same transaction, a new notification id, nonce and timestamp
                plans.add(new Plan(
                        p,
                        "wechat re-send",
                        null,
                        new WechatSend(WechatNotifications.newId(), wechatResource.get(p), random.nextInt(60))));
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>(first.get(p));
            if (random.nextInt(3) < 2) {
                params.put(
                        "notify_time",
                        AlipayNotifications.format(
                                AlipayNotifications.nowInChina().minusMinutes(random.nextInt(29))));
                plans.add(new Plan(p, "re-send", params));
            } else {
                params.put("notify_id", AlipayNotifications.newNotifyId());
                params.put("trade_status", "TRADE_FINISHED");
                plans.add(new Plan(p, "TRADE_FINISHED", params));
            }
        }
        List<byte[]> bodies = plans.parallelStream()
                .map(pl -> pl.wechat() != null ? null : alipay.formBody(pl.params()))
                .toList();
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            Plan pl = plans.get(i);
            notes.add(
                    pl.wechat() != null
                            ? new Note(0, pl.payment(), pl.wechat().id, pl.kind(), null, pl.wechat())
                            : new Note(0, pl.payment(), pl.params().get("notify_id"), pl.kind(), bodies.get(i)));
        }
        int distinct = notes.size();
        for (int i = 0; i < duplicates; i++) {
            Note copy = notes.get(random.nextInt(distinct));
            notes.add(
                    copy.wechat() != null
                            ? new Note(0, copy.payment(), copy.notifyId(), "wechat duplicate", null, copy.wechat())
                            : new Note(
                                    0,
                                    copy.payment(),
                                    copy.notifyId(),
                                    "duplicate",
                                    copy.body().clone()));
        }
        Collections.shuffle(notes, random);
        List<Note> indexed = new ArrayList<>(notes.size());
        for (int i = 0; i < notes.size(); i++) {
            Note n = notes.get(i);
            indexed.add(new Note(i, n.payment(), n.notifyId(), n.kind(), n.body(), n.wechat()));
        }
        return indexed;
    }

    /**
     * Signs every WeChat Pay notification of {@code notes} now (in parallel), each as at a time up to a minute
     * ago; its duplicates share the result.
     *
     * @return how many were signed
     */
    static int signWechat(List<Note> notes, WechatNotifications wechat) {
        Instant now = Instant.now();
        List<WechatSend> distinct = notes.stream()
                .map(Note::wechat)
                .filter(java.util.Objects::nonNull)
                .distinct()
                .toList();
        distinct.parallelStream().forEach(w -> w.sign(wechat, now));
        return distinct.size();
    }
}
