package dev.zhifu.payments.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * {@code Authorization: Bearer <api key>} as a Spring Security authentication: a converter that takes the key
 * from the header, a provider that checks it against {@link ApiKeys} (hashed, constant time), and the filter
 * that joins them. Stateless: nothing is kept between requests. Never reads the request body or parameters.
 */
final class ApiKeyAuthentication {

    static final String ROLE = "API";

    private ApiKeyAuthentication() {}

    /** @param open paths that are public: a key sent there is not looked at (a wrong one does not refuse them) */
    static AuthenticationFilter filter(ApiKeys keys, ProblemResponses problems, RequestMatcher open) {
        AuthenticationFilter filter =
                new AuthenticationFilter(new ProviderManager(new Provider(keys)), ApiKeyAuthentication::presented);
        filter.setRequestMatcher(new NegatedRequestMatcher(open));
        filter.setFailureHandler(new AuthenticationEntryPointFailureHandler(problems));
        // success: go on down the chain (the default handler would redirect, as after a form login)
        filter.setSuccessHandler((request, response, authentication) -> {});
        filter.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());
        return filter;
    }

    /** The key presented; null when there is no Authorization header (then the request stays anonymous). */
    private static Authentication presented(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null) {
            return null;
        }
        // another scheme is still an attempt that fails, never a silent anonymous request
        String key = header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip()
                : "";
        return new Key(key, false);
    }

    /** A presented key before the check; the key holder once checked (the key itself is then forgotten). */
    static final class Key extends AbstractAuthenticationToken {
        private final String key;

        Key(String key, boolean checked) {
            super(checked ? List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)) : List.of());
            this.key = checked ? null : key;
            setAuthenticated(checked);
        }

        @Override
        public Object getCredentials() {
            return key;
        }

        @Override
        public Object getPrincipal() {
            return "api-key";
        }
    }

    private record Provider(ApiKeys keys) implements AuthenticationProvider {
        @Override
        public Authentication authenticate(Authentication authentication) {
            if (!keys.accepts((String) authentication.getCredentials())) {
                throw new BadCredentialsException("The API key is not valid");
            }
            return new Key(null, true);
        }

        @Override
        public boolean supports(Class<?> type) {
            return Key.class.isAssignableFrom(type);
        }
    }
}
