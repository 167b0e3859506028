package dev.zhifu.payments.payments;

import java.util.regex.Pattern;

/** An IP address literal, checked without a name lookup (InetAddress would resolve host names). */
final class IpAddresses {

    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private IpAddresses() {}

    static boolean isLiteral(String text) {
        if (IPV4.matcher(text).matches()) {
            return true;
        }
        if (!IPV6_CHARACTERS.matcher(text).matches() || !text.contains(":")) {
            return false;
        }
        try {
            // only hex digits, colons and dots remain: parsed as a literal, never looked up
            return java.net.InetAddress.getByName("[" + text + "]") instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException | RuntimeException e) {
            return false;
        }
    }
}
