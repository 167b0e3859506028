package dev.zhifu.payments.admin;

/** Where the console may send a browser back to after a login or an action. */
final class SafeNext {

    private SafeNext() {}

    /** A {@code next} target that stays inside the console; anything else becomes {@code /admin}. */
    static String of(String next) {
        if (next == null
                || !next.startsWith("/admin")
                || next.startsWith("/admin/login")
                || next.contains("\\")
                || next.contains("//")
                || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "/admin";
        }
        return next;
    }
}
