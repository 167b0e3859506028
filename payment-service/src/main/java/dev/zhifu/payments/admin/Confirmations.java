package dev.zhifu.payments.admin;

import dev.zhifu.payments.storage.Ids;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One-time tickets for confirmed actions (refund, close): the confirmation page hands one out, the confirmed
 * request spends it, so a double click or a reload of the confirmation refunds once, not twice.
 */
final class Confirmations {

    private static final String ATTRIBUTE = Confirmations.class.getName();
    private static final int MAX_OPEN = 50;

    private Confirmations() {}

    static String issue(HttpServletRequest request, String action) {
        String ticket = Ids.random(20);
        Set<String> open = open(request.getSession(true));
        synchronized (open) {
            if (open.size() >= MAX_OPEN) {
                open.remove(open.iterator().next());
            }
            open.add(action + "|" + ticket);
        }
        return ticket;
    }

    /** Spends the ticket; false when it was never issued for this action or is spent already. */
    static boolean spend(HttpServletRequest request, String action, String ticket) {
        HttpSession session = request.getSession(false);
        if (session == null || ticket == null) {
            return false;
        }
        Set<String> open = open(session);
        synchronized (open) {
            return open.remove(action + "|" + ticket);
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<String> open(HttpSession session) {
        synchronized (session) {
            Object existing = session.getAttribute(ATTRIBUTE);
            if (existing instanceof Set<?> set) {
                return (Set<String>) set;
            }
            Set<String> fresh = Collections.synchronizedSet(new LinkedHashSet<>());
            session.setAttribute(ATTRIBUTE, fresh);
            return fresh;
        }
    }
}
