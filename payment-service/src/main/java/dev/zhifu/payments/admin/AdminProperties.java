package dev.zhifu.payments.admin;

import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code payments.admin.*}: the admin console at {@code /admin}.
 *
 * @param password      the console's password; demo mode generates one under the data directory. Without one
 *                      (outside demo mode) the console is off
 * @param loginAttempts failed logins allowed per client address within {@code loginWindow}
 * @param loginWindow   how long failed logins count
 * @param timeZone      the zone times and "today" are shown in; Alipay's GMT+8 by default
 * @param pageSize      rows per page of the payment and event lists
 */
@ConfigurationProperties("payments.admin")
public record AdminProperties(
        String password,
        @DefaultValue("5") int loginAttempts,
        @DefaultValue("10m") Duration loginWindow,
        @DefaultValue("Asia/Shanghai") ZoneId timeZone,
        @DefaultValue("20") int pageSize) {

    public AdminProperties {
        if (loginAttempts < 1) {
            throw new IllegalArgumentException("payments.admin.login-attempts: at least 1, got " + loginAttempts);
        }
        if (pageSize < 1 || pageSize > 500) {
            throw new IllegalArgumentException("payments.admin.page-size: 1 to 500, got " + pageSize);
        }
    }
}
