package dev.zhifu.payments.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the three databases spell differently in our migrations: a millisecond UTC timestamp (MySQL/MariaDB get
 * {@code DATETIME(3)}: their {@code TIMESTAMP} stops in 2038 and converts through the session time zone), and
 * {@code DROP INDEX}, which names the table on MySQL/MariaDB.
 */
@Configuration(proxyBeanMethods = false)
public class MigrationPlaceholders {

    @Bean
    FlywayConfigurationCustomizer timestampPlaceholder() {
        return configuration -> {
            boolean mySql = isMySql(configuration.getDataSource());
            configuration.placeholders(Map.of(
                    "timestamp", mySql ? "DATETIME(3)" : "TIMESTAMP(3)",
                    // DROP INDEX names the table on MySQL/MariaDB only
                    "onPaymentsTable", mySql ? " ON payments" : "",
                    "onPaymentEventsTable", mySql ? " ON payment_events" : ""));
        };
    }

    static boolean isMySql(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            return product.contains("mysql") || product.contains("mariadb");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database: " + e.getMessage(), e);
        }
    }
}
