package dev.zhifu.payments.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * What every server-rendered page (demo shop, admin console) shares: the language (browser's
 * {@code Accept-Language}, or {@code ?lang=zh-CN|en} remembered in a cookie), security headers, and the CSRF
 * check on every state-changing request. The REST API, the notification endpoint and the sandbox are not
 * touched: they never see these interceptors.
 */
@Configuration(proxyBeanMethods = false)
public class WebPagesConfiguration implements WebMvcConfigurer {

    static final List<String> PAGES = List.of("/", "/demo/**", "/admin", "/admin/**");
    static final Locale CHINESE = Locale.SIMPLIFIED_CHINESE;

    @Bean(DispatcherServlet.LOCALE_RESOLVER_BEAN_NAME)
    LocaleResolver localeResolver() {
        CookieLocaleResolver resolver = new CookieLocaleResolver("lang");
        resolver.setDefaultLocaleFunction(WebPagesConfiguration::fromBrowser);
        return resolver;
    }

    /** The first language of {@code Accept-Language} that the pages speak; English otherwise. */
    static Locale fromBrowser(HttpServletRequest request) {
        var locales = request.getLocales();
        while (locales.hasMoreElements()) {
            String language = locales.nextElement().getLanguage();
            if (language.equals("zh")) {
                return CHINESE;
            }
            if (language.equals("en")) {
                return Locale.ENGLISH;
            }
        }
        return Locale.ENGLISH;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor language = new LocaleChangeInterceptor();
        language.setParamName("lang");
        language.setIgnoreInvalidLocale(true);
        registry.addInterceptor(language).addPathPatterns(PAGES);
        registry.addInterceptor(new SecurityHeaders()).addPathPatterns(PAGES);
        // after the admin console's login check (order 0), so a logged-out POST goes to the login page
        registry.addInterceptor(new CsrfCheck()).addPathPatterns(PAGES).order(10);
    }

    /** Defence in depth behind escaping: no inline script runs, nothing frames the pages. */
    static final class SecurityHeaders implements HandlerInterceptor {
        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
            response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                    + "base-uri 'none'; frame-ancestors 'none'");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("X-Frame-Options", "DENY");
            response.setHeader("Referrer-Policy", "same-origin");
            if (request.getRequestURI().startsWith(request.getContextPath() + "/admin")) {
                response.setHeader("Cache-Control", "no-store");
            }
            return true;
        }
    }

    /** Every POST to the pages must carry the session's token ({@link CsrfTokens}); 403 otherwise. */
    static final class CsrfCheck implements HandlerInterceptor {
        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                throws Exception {
            String method = request.getMethod();
            if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
                return true;
            }
            if (CsrfTokens.matches(request)) {
                return true;
            }
            throw new PageException(403, "error.csrf");
        }
    }
}
