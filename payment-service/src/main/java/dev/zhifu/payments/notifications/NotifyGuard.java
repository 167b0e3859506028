package dev.zhifu.payments.notifications;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The checks on {@code /notify/alipay} before any signature is verified or the database touched: the optional
 * IP allow-list, and a token bucket per remote address that only refused posts drain, so a sender of forged or
 * broken notifications is soon answered 429 at no cost while Alipay's genuine ones are never slowed.
 */
@Component
@EnableConfigurationProperties(NotifyProperties.class)
public class NotifyGuard {

    /** Remote addresses remembered at most (oldest forgotten first), so spoofed sources cannot fill memory. */
    private static final int MAX_TRACKED = 10_000;

    private final List<Cidr> allowed;
    private final double refillPerNano;
    private final int burst;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    private static final class Bucket {
        double tokens;
        long at;
    }

    public NotifyGuard(NotifyProperties settings) {
        List<Cidr> list = new ArrayList<>();
        for (String entry : settings.allowedIps()) {
            list.add(Cidr.parse(entry));
        }
        this.allowed = List.copyOf(list);
        this.refillPerNano = settings.refusalsPerMinute() / 60e9;
        this.burst = settings.refusalBurst();
    }

    /** Whether the allow-list (if any) lets this address post. */
    public boolean allowed(String remoteAddr) {
        if (allowed.isEmpty()) {
            return true;
        }
        byte[] address = literal(remoteAddr);
        return address != null && allowed.stream().anyMatch(c -> c.contains(address));
    }

    /** Whether this address has used up its refusals for now. */
    public synchronized boolean throttled(String remoteAddr) {
        Bucket b = buckets.get(remoteAddr);
        return b != null && refill(b) < 1;
    }

    /** Counts a refused post of this address. */
    public synchronized void refused(String remoteAddr) {
        Bucket b = buckets.computeIfAbsent(remoteAddr, k -> {
            Bucket fresh = new Bucket();
            fresh.tokens = burst;
            fresh.at = System.nanoTime();
            return fresh;
        });
        refill(b);
        b.tokens = Math.max(0, b.tokens - 1);
    }

    private double refill(Bucket b) {
        long now = System.nanoTime();
        b.tokens = Math.min(burst, b.tokens + (now - b.at) * refillPerNano);
        b.at = now;
        return b.tokens;
    }

    /** An IP literal's bytes, never a DNS lookup; null when it is not one. */
    static byte[] literal(String text) {
        if (text == null || text.isBlank() || !text.matches("[0-9A-Fa-f:.\\[\\]%a-zA-Z0-9]+")) {
            return null;
        }
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        int zone = t.indexOf('%');
        if (zone >= 0) {
            t = t.substring(0, zone);
        }
        if (!(t.matches("[0-9.]+") || t.contains(":"))) {
            return null; // a host name: never resolved
        }
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address range, {@code 110.75.0.0/16} or {@code 2001:db8::/32}; a plain address is a /32 or /128. */
    record Cidr(byte[] network, int bits) {
        static Cidr parse(String entry) {
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            byte[] address = literal(host);
            if (address == null) {
                throw new IllegalArgumentException(
                        "payments.notify.allowed-ips: not an IP address or CIDR range: " + entry);
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1).strip());
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("payments.notify.allowed-ips: bad prefix length in " + entry);
                }
            }
            return new Cidr(address, bits);
        }

        boolean contains(byte[] address) {
            byte[] a = address;
            byte[] n = network;
            if (a.length != n.length) {
                // an IPv4-mapped IPv6 address (::ffff:a.b.c.d) against an IPv4 range
                if (a.length == 16 && n.length == 4 && isMapped(a)) {
                    a = java.util.Arrays.copyOfRange(a, 12, 16);
                } else {
                    return false;
                }
            }
            if (bits == 0) {
                return true;
            }
            BigInteger mask = BigInteger.ONE
                    .shiftLeft(a.length * 8)
                    .subtract(BigInteger.ONE)
                    .shiftRight(bits)
                    .not();
            return new BigInteger(1, a).and(mask).equals(new BigInteger(1, n).and(mask));
        }

        private static boolean isMapped(byte[] a) {
            for (int i = 0; i < 10; i++) {
                if (a[i] != 0) {
                    return false;
                }
            }
            return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
        }
    }
}
