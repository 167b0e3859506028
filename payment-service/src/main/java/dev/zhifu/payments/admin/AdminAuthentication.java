package dev.zhifu.payments.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.authentication.WebAuthenticationDetailsSource;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfTokenRepository;

/**
 * Logging into the console, on Spring Security: the password checked by an {@link AuthenticationProvider}
 * behind the per-address {@link LoginThrottle}; on success a new session id (session fixation), a new CSRF token,
 * and the authentication kept in the session. The login page posts to a controller rather than to a login filter
 * so that a refusal answers the page itself, with 401 or 429 and the reason in the visitor's language.
 */
public final class AdminAuthentication {

    public static final String ROLE = "ADMIN";

    private final ProviderManager manager;
    private final SessionAuthenticationStrategy session;
    private final SecurityContextRepository contexts;
    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();
    private final WebAuthenticationDetailsSource details = new WebAuthenticationDetailsSource();

    public AdminAuthentication(
            AdminPassword password,
            LoginThrottle throttle,
            SecurityContextRepository contexts,
            CsrfTokenRepository csrfTokens) {
        this.manager = new ProviderManager(new PasswordProvider(password, throttle));
        this.session = new CompositeSessionAuthenticationStrategy(
                List.of(new ChangeSessionIdAuthenticationStrategy(), new CsrfAuthenticationStrategy(csrfTokens)));
        this.contexts = contexts;
    }

    /**
     * Checks the password and, when it is right, logs the browser's session in.
     *
     * @throws BadCredentialsException a wrong password (or none configured: the message says which)
     * @throws LockedException         too many failures from this address for now
     */
    void logIn(String presented, HttpServletRequest request, HttpServletResponse response) {
        UsernamePasswordAuthenticationToken attempt =
                UsernamePasswordAuthenticationToken.unauthenticated("admin", presented == null ? "" : presented);
        attempt.setDetails(details.buildDetails(request));
        Authentication admin = manager.authenticate(attempt);
        session.onAuthentication(admin, request, response);
        SecurityContext context = holder.createEmptyContext();
        context.setAuthentication(admin);
        holder.setContext(context);
        contexts.saveContext(context, request, response);
    }

    /** Not logged in: to the login page (302 for a GET, 303 otherwise), which brings the visitor back after. */
    public static AuthenticationEntryPoint loginPage() {
        return (HttpServletRequest request, HttpServletResponse response, AuthenticationException e) -> {
            String target =
                    request.getRequestURI().substring(request.getContextPath().length());
            if (request.getMethod().equals("GET") && request.getQueryString() != null) {
                target += "?" + request.getQueryString();
            }
            response.setStatus(request.getMethod().equals("GET") ? 302 : 303);
            response.setHeader(
                    "Location",
                    request.getContextPath() + "/admin/login?next="
                            + URLEncoder.encode(SafeNext.of(target), StandardCharsets.UTF_8));
        };
    }

    private record PasswordProvider(AdminPassword password, LoginThrottle throttle) implements AuthenticationProvider {
        @Override
        public Authentication authenticate(Authentication attempt) {
            String address = attempt.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : "";
            if (!throttle.allows(address)) {
                throw new LockedException("login.throttled");
            }
            if (!password.matches((String) attempt.getCredentials())) {
                throttle.failed(address);
                throw new BadCredentialsException(password.enabled() ? "login.wrong" : "login.disabled");
            }
            throttle.succeeded(address);
            return UsernamePasswordAuthenticationToken.authenticated(
                    "admin", null, List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)));
        }

        @Override
        public boolean supports(Class<?> type) {
            return UsernamePasswordAuthenticationToken.class.isAssignableFrom(type);
        }
    }

    /** For a page that wants to know (the login page sends a logged-in visitor on). */
    static boolean loggedIn() {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        return current != null
                && current.isAuthenticated()
                && current.getAuthorities().stream()
                        .anyMatch(a -> a.getAuthority().equals("ROLE_" + ROLE));
    }
}
