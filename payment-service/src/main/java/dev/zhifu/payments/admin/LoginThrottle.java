package dev.zhifu.payments.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed admin logins per client address in a sliding window: past the limit every attempt from that address
 * is refused (the right password too) until the oldest failure leaves the window. In memory: a restart or a
 * second instance starts counting afresh, which still turns guessing into a crawl.
 */
public class LoginThrottle {

    private static final int MAX_ADDRESSES = 10_000;

    private final int attempts;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(int attempts, Duration window, Clock clock) {
        this.attempts = attempts;
        this.window = window;
        this.clock = clock;
    }

    /** Whether another attempt from this address may be checked now. */
    public boolean allows(String address) {
        Deque<Instant> list = failures.get(address);
        if (list == null) {
            return true;
        }
        synchronized (list) {
            prune(list);
            return list.size() < attempts;
        }
    }

    public void failed(String address) {
        if (failures.size() > MAX_ADDRESSES) {
            failures.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    prune(e.getValue());
                    return e.getValue().isEmpty();
                }
            });
        }
        Deque<Instant> list = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (list) {
            prune(list);
            list.addLast(clock.instant());
        }
    }

    public void succeeded(String address) {
        failures.remove(address);
    }

    /** Forgets every failure (tests; an operator restart does the same). */
    public void reset() {
        failures.clear();
    }

    private void prune(Deque<Instant> list) {
        Instant horizon = clock.instant().minus(window);
        while (!list.isEmpty() && !list.peekFirst().isAfter(horizon)) {
            list.removeFirst();
        }
    }
}
