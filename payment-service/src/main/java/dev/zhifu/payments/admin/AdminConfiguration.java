package dev.zhifu.payments.admin;

import dev.zhifu.alipay.spring.AlipayProperties;
import dev.zhifu.payments.alipay.DemoMode;
import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.web.PageFormat;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;

/** The admin console: its password, the login throttle and the login itself (the rules are in the security chain). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AdminProperties.class)
public class AdminConfiguration {

    @Bean
    AdminPassword adminPassword(AdminProperties admin, AlipayProperties alipay, PaymentsProperties payments) {
        return AdminPassword.of(admin.password(), DemoMode.isDemo(alipay), payments.dataDir());
    }

    @Bean
    LoginThrottle loginThrottle(AdminProperties admin, Clock clock) {
        return new LoginThrottle(admin.loginAttempts(), admin.loginWindow(), clock);
    }

    @Bean
    AdminAuthentication adminAuthentication(
            AdminPassword password,
            LoginThrottle throttle,
            SecurityContextRepository pageSecurityContexts,
            CsrfTokenRepository csrfTokens) {
        return new AdminAuthentication(password, throttle, pageSecurityContexts, csrfTokens);
    }

    @Bean
    PageFormat pageFormat(AdminProperties admin) {
        return new PageFormat(admin.timeZone());
    }
}
