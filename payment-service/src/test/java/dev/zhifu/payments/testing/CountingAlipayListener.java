package dev.zhifu.payments.testing;

import dev.zhifu.alipay.AlipayCallListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the gateway call attempts of one service instance, per API method. */
public class CountingAlipayListener implements AlipayCallListener {

    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

    @Override
    public void onCall(Event event) {
        attempts.computeIfAbsent(event.method(), m -> new AtomicInteger()).incrementAndGet();
    }

    public int attempts(String method) {
        AtomicInteger n = attempts.get(method);
        return n == null ? 0 : n.get();
    }

    public int total() {
        return attempts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public void reset() {
        attempts.clear();
    }
}
