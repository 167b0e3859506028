package dev.zhifu.payments.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/** Whether the browser's session has logged into the console. */
final class AdminSession {

    private static final String ATTRIBUTE = AdminSession.class.getName();

    private AdminSession() {
    }

    static boolean loggedIn(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null && Boolean.TRUE.equals(session.getAttribute(ATTRIBUTE));
    }

    /** A new session id at login, so an id planted before it is worth nothing (session fixation). */
    static void logIn(HttpServletRequest request) {
        request.getSession(true);
        request.changeSessionId();
        request.getSession().setAttribute(ATTRIBUTE, Boolean.TRUE);
    }

    static void logOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }

    /** A {@code next} target that stays inside the console; anything else becomes {@code /admin}. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/admin") || next.startsWith("/admin/login") || next.contains("\\")
                || next.contains("//") || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "/admin";
        }
        return next;
    }
}
