package dev.zhifu.payments.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * What every server-rendered page (demo shop, admin console, the {@code any_qr} page) shares: the language (browser's
 * {@code Accept-Language}, or {@code ?lang=zh-CN|en} remembered in a cookie). Security headers, sessions and
 * CSRF are Spring Security's ({@code security.WebSecurityConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
public class WebPagesConfiguration implements WebMvcConfigurer {

    static final List<String> PAGES = List.of("/", "/demo/**", "/admin", "/admin/**", "/pay/**");
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
    }
}
