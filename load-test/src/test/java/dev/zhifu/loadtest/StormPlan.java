package dev.zhifu.loadtest;

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
 */
final class StormPlan {

    private StormPlan() {}

    /** A payment of the storm; {@code instance} is the service instance that creates it (and is notified). */
    record Pay(String outTradeNo, String amount, int instance) {}

    record Note(int index, Pay payment, String notifyId, String kind, byte[] body) {}

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
        List<Pay> payments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int cents = 1 + random.nextInt(9_999_999);
            payments.add(
                    new Pay(prefix + "-" + i, (cents / 100) + "." + String.format("%02d", cents % 100), i % instances));
        }
        return payments;
    }

    /**
     * {@code total - duplicates} distinct notifications (each payment's first TRADE_SUCCESS, then re-sends and
     * TRADE_FINISHED at random) plus {@code duplicates} byte-identical copies, shuffled and numbered.
     */
    static List<Note> notifications(
            List<Pay> payments, AlipayNotifications alipay, Random random, int total, int duplicates) {
        record Plan(Pay payment, String kind, Map<String, String> params) {}
        List<Plan> plans = new ArrayList<>();
        Map<Pay, Map<String, String>> first = new LinkedHashMap<>();
        LocalDateTime t = AlipayNotifications.nowInChina().minusMinutes(30);
        for (Pay p : payments) {
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
        List<byte[]> bodies =
                plans.parallelStream().map(pl -> alipay.formBody(pl.params())).toList();
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            Plan pl = plans.get(i);
            notes.add(new Note(0, pl.payment(), pl.params().get("notify_id"), pl.kind(), bodies.get(i)));
        }
        int distinct = notes.size();
        for (int i = 0; i < duplicates; i++) {
            Note copy = notes.get(random.nextInt(distinct));
            notes.add(new Note(
                    0, copy.payment(), copy.notifyId(), "duplicate", copy.body().clone()));
        }
        Collections.shuffle(notes, random);
        List<Note> indexed = new ArrayList<>(notes.size());
        for (int i = 0; i < notes.size(); i++) {
            Note n = notes.get(i);
            indexed.add(new Note(i, n.payment(), n.notifyId(), n.kind(), n.body()));
        }
        return indexed;
    }
}
