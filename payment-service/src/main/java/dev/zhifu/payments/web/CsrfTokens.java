package dev.zhifu.payments.web;

import dev.zhifu.payments.support.Hashing;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Synchronizer tokens against cross-site request forgery: one random token per session, put in every form of
 * the web pages and required on every state-changing request to them. (SameSite=Lax cookies alone leave
 * older browsers and same-site subdomains open.)
 */
public final class CsrfTokens {

    /** The form field (or header {@value #HEADER}) that carries the token. */
    public static final String PARAM = "_csrf";
    public static final String HEADER = "X-CSRF-Token";

    private static final String ATTRIBUTE = CsrfTokens.class.getName();
    private static final SecureRandom RANDOM = new SecureRandom();

    private CsrfTokens() {
    }

    /** The session's token, starting a session when there is none. */
    public static String token(HttpServletRequest request) {
        HttpSession session = request.getSession(true);
        Object token = session.getAttribute(ATTRIBUTE);
        if (token instanceof String existing) {
            return existing;
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        session.setAttribute(ATTRIBUTE, fresh);
        return fresh;
    }

    /** Whether the request carries its session's token; false without a session. */
    public static boolean matches(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(ATTRIBUTE) instanceof String expected)) {
            return false;
        }
        String presented = request.getHeader(HEADER);
        if (presented == null) {
            presented = request.getParameter(PARAM);
        }
        return presented != null && Hashing.constantTimeEquals(expected, presented);
    }
}
