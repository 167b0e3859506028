package dev.zhifu.payments.admin;

import dev.zhifu.payments.PaymentsProperties;
import dev.zhifu.payments.alipay.AlipayProperties;
import dev.zhifu.payments.web.PageFormat;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The admin console: its password, the login throttle and the check that keeps it behind the login. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdminProperties.class)
public class AdminConfiguration implements WebMvcConfigurer {

    @Bean
    AdminPassword adminPassword(AdminProperties admin, AlipayProperties alipay, PaymentsProperties payments) {
        return AdminPassword.of(admin.password(), alipay.demo(), payments.dataDir());
    }

    @Bean
    LoginThrottle loginThrottle(AdminProperties admin, Clock clock) {
        return new LoginThrottle(admin.loginAttempts(), admin.loginWindow(), clock);
    }

    @Bean
    PageFormat pageFormat(AdminProperties admin) {
        return new PageFormat(admin.timeZone());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new LoginRequired()).addPathPatterns("/admin", "/admin/**")
                .excludePathPatterns("/admin/login").order(0);
    }

    /** Not logged in: to the login page, which brings the visitor back to where they were going. */
    static final class LoginRequired implements HandlerInterceptor {
        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                throws Exception {
            if (AdminSession.loggedIn(request)) {
                return true;
            }
            String target = request.getRequestURI().substring(request.getContextPath().length());
            if (request.getMethod().equals("GET") && request.getQueryString() != null) {
                target += "?" + request.getQueryString();
            }
            response.setStatus(request.getMethod().equals("GET") ? 302 : 303);
            response.setHeader("Location", request.getContextPath() + "/admin/login?next="
                    + URLEncoder.encode(AdminSession.safeNext(target), StandardCharsets.UTF_8));
            return false;
        }
    }
}
