package dev.zhifu.payments.security;

import dev.zhifu.alipay.spring.AlipayProperties;
import dev.zhifu.payments.admin.AdminAuthentication;
import dev.zhifu.payments.alipay.ConfigurationProblems;
import dev.zhifu.payments.alipay.DemoMode;
import dev.zhifu.payments.web.ErrorPages;
import jakarta.servlet.DispatcherType;
import java.util.Arrays;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole web surface on Spring Security, denied by default. Four chains, tried in order:
 * <ol>
 *   <li>{@code /api/**} and {@code /actuator/**}: bearer API keys, stateless; only the health probes are open;</li>
 *   <li>{@code /admin/**}: the console's login (session, new id at login, CSRF, logout); only the login page is
 *       open;</li>
 *   <li>{@code /sandbox/**}, in demo mode only: the embedded Alipay sandbox, open as the standalone one is;</li>
 *   <li>everything else: the short public list below (and the demo shop in demo mode); any other path needs
 *       credentials, so a new endpoint is closed until it is deliberately put on a list.</li>
 * </ol>
 * Spring Security's strict firewall stays on: a path with {@code ;}, an encoded slash or dot segments is
 * refused (400) before any chain is chosen, so no spelling of a path reaches a handler the chains did not see.
 * The public list is in SECURITY.md.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class WebSecurityConfiguration {

    /**
     * Open in every mode: what Alipay and WeChat Pay post to and send buyers back to, the page behind an
     * {@code any_qr} code (a buyer's wallet opens it; it shows one payment's subject and amount to whoever has
     * its id, and changes nothing but starting the wallet's order), assets, probes, docs.
     */
    static final String[] PUBLIC = {
        "/notify/alipay",
        "/notify/wechatpay",
        "/return/alipay",
        "/pay/*",
        "/css/**",
        "/js/**",
        "/favicon.ico",
        "/error",
        "/v3/api-docs",
        "/v3/api-docs/**",
        "/swagger-ui.html",
        "/swagger-ui/**"
    };
    /** Open in demo mode only: the demo shop. */
    static final String[] DEMO_PUBLIC = {"/", "/demo/**"};

    static final String[] HEALTH = {"/actuator/health", "/actuator/health/**"};

    /** The pages' policy: no inline script or style, nothing framed, nothing from elsewhere. */
    static final String CSP =
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; " + "frame-ancestors 'none'";
    /** The sandbox's cashier pages set inline styles; still no inline script. (Swagger UI works with {@link #CSP}.) */
    static final String CSP_INLINE_STYLES =
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                    + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /**
     * No spans or timers of Spring Security's own: each request already has its server span, and the controller's
     * work must stay that span's child (a payment's trace links to it). It also saves their cost on every request.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    ProblemResponses problemResponses(JsonMapper json) {
        return new ProblemResponses(json);
    }

    /** Where a logged-in console session keeps its authentication. */
    @Bean
    SecurityContextRepository pageSecurityContexts() {
        return new HttpSessionSecurityContextRepository();
    }

    /** One CSRF token per browser session, shared by the console and the demo shop. */
    @Bean
    CsrfTokenRepository csrfTokens() {
        return new HttpSessionCsrfTokenRepository();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, ApiKeys keys, ProblemResponses problems) throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        AuthenticationFilter bearer = ApiKeyAuthentication.filter(
                keys,
                problems,
                new OrRequestMatcher(Arrays.stream(HEALTH)
                        .map(paths::matcher)
                        .map(RequestMatcher.class::cast)
                        .toList()));
        return http.securityMatcher("/api/**", "/actuator/**")
                .authorizeHttpRequests(
                        a -> a.requestMatchers(HEALTH).permitAll().anyRequest().hasRole(ApiKeyAuthentication.ROLE))
                .addFilterBefore(bearer, AnonymousAuthenticationFilter.class)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .csrf(c -> c.disable()) // no cookie, no session: a forged cross-site request carries no key
                .requestCache(c -> c.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .headers(headers(CSP))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain adminChain(
            HttpSecurity http, SecurityContextRepository pageSecurityContexts, CsrfTokenRepository csrfTokens)
            throws Exception {
        return http.securityMatcher("/admin", "/admin/**")
                .authorizeHttpRequests(a -> a.requestMatchers("/admin/login")
                        .permitAll()
                        .anyRequest()
                        .hasRole(AdminAuthentication.ROLE))
                .securityContext(c -> c.securityContextRepository(pageSecurityContexts))
                .csrf(c -> c.csrfTokenRepository(csrfTokens))
                .logout(l -> l.logoutUrl("/admin/logout").logoutSuccessUrl("/admin/login"))
                .exceptionHandling(e -> e.authenticationEntryPoint(AdminAuthentication.loginPage())
                        .accessDeniedHandler(pageRefusal()))
                .headers(headers(CSP))
                .build();
    }

    @Bean
    @Order(3)
    @Conditional(DemoMode.class)
    SecurityFilterChain demoSandboxChain(HttpSecurity http) throws Exception {
        // the gateway's own protocol (signed forms from the merchant, the cashier's buttons): no session, no CSRF
        return http.securityMatcher("/sandbox/**")
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .requestCache(c -> c.disable())
                .headers(headers(CSP_INLINE_STYLES))
                .build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain everythingElse(
            HttpSecurity http,
            AlipayProperties alipay,
            ProblemResponses problems,
            SecurityContextRepository pageSecurityContexts,
            CsrfTokenRepository csrfTokens,
            Environment environment)
            throws Exception {
        refuseUntrustedForwardedHeaders(environment);
        boolean demo = DemoMode.isDemo(alipay);
        return http.authorizeHttpRequests(a -> {
                    a.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    a.requestMatchers(PUBLIC).permitAll();
                    if (demo) {
                        a.requestMatchers(DEMO_PUBLIC).permitAll();
                    }
                    a.anyRequest().denyAll();
                })
                .securityContext(c -> c.securityContextRepository(pageSecurityContexts))
                // the demo shop's forms are the only ones here (Alipay's and WeChat Pay's posts carry signatures);
                // any other post is refused for want of credentials, not of a token
                .csrf(c -> c.csrfTokenRepository(csrfTokens)
                        .requireCsrfProtectionMatcher(new AndRequestMatcher(
                                CsrfFilter.DEFAULT_CSRF_MATCHER,
                                PathPatternRequestMatcher.withDefaults().matcher("/demo/**"))))
                .requestCache(c -> c.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(pageRefusal()))
                .headers(headers(CSP))
                .build();
    }

    /**
     * A refused page request: the CSRF check's refusal names itself on the error page; any other is a plain 403.
     * (An anonymous visitor refused by a rule goes to the chain's entry point instead.)
     */
    private static AccessDeniedHandler pageRefusal() {
        return (request, response, denied) -> {
            if (denied instanceof CsrfException) {
                request.setAttribute(ErrorPages.MESSAGE_KEY, "error.csrf");
            }
            response.sendError(403);
        };
    }

    /**
     * {@code server.forward-headers-strategy=framework} believes {@code X-Forwarded-For} from anyone, so any
     * client could name its own address and pass the notification allow-list or the login throttle. Tomcat's
     * {@code native} strategy believes it only from {@code server.tomcat.remoteip.internal-proxies}.
     */
    static void refuseUntrustedForwardedHeaders(Environment environment) {
        String strategy = environment.getProperty("server.forward-headers-strategy", "");
        if (strategy.strip().equalsIgnoreCase("framework")) {
            throw new ConfigurationProblems(List.of("server.forward-headers-strategy=framework trusts X-Forwarded-For "
                    + "from any client: use native, with server.tomcat.remoteip.internal-proxies naming your proxies"));
        }
    }

    private static Customizer<HeadersConfigurer<HttpSecurity>> headers(String csp) {
        return h -> h.contentSecurityPolicy(c -> c.policyDirectives(csp))
                .frameOptions(f -> f.deny())
                .referrerPolicy(r -> r.policy(ReferrerPolicy.SAME_ORIGIN));
    }
}
