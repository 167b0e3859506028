package dev.zhifu.payments.storage;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Bounds on every wait for the database (README, "When the database fails"). Without them a request waits 30 s for
 * the pool and, when the database's packets stop arriving, forever on a socket; so during an outage every worker
 * thread was held. Each pooled connection to PostgreSQL, MariaDB or MySQL gets, from {@link DatabaseProperties},
 * the driver's connect and socket timeouts and the database's own statement and idle-transaction limits, unless
 * the URL or {@code spring.datasource.hikari.data-source-properties} already set that option (theirs is kept).
 * <p>
 * Migrations are the exception: Flyway gets its own unpooled connections with the connect timeout only, because
 * a migration may legitimately run for minutes (an index on a large table) and runs before the instance is ready.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseTimeouts {

    private static final Logger log = LoggerFactory.getLogger(DatabaseTimeouts.class);

    /** Static: a post-processor must not make its configuration class an early bean. */
    @Bean
    static BeanPostProcessor boundedDatabaseWaits(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource pool) {
                    Map<String, String> added = apply(pool, settings(environment));
                    if (!added.isEmpty()) {
                        log.info("Database waits bounded (payments.database.*): {}", added);
                    }
                }
                return bean;
            }
        };
    }

    /** First, so that the other customizers (MigrationPlaceholders) see the data source migrations run on. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    FlywayConfigurationCustomizer migrationsRunWithoutStatementBounds(DataSource dataSource, Environment environment) {
        return configuration -> {
            if (dataSource instanceof HikariDataSource pool && kind(pool.getJdbcUrl()) != Kind.OTHER) {
                configuration.dataSource(unbounded(pool, settings(environment)));
            }
        };
    }

    /** Bound here rather than injected: a post-processor is made before configuration properties beans. */
    static DatabaseProperties settings(Environment environment) {
        return Binder.get(environment).bindOrCreate("payments.database", DatabaseProperties.class);
    }

    enum Kind {
        POSTGRESQL,
        MARIADB,
        MYSQL,
        OTHER
    }

    static Kind kind(String url) {
        if (url == null) {
            return Kind.OTHER;
        }
        return url.startsWith("jdbc:postgresql:")
                ? Kind.POSTGRESQL
                : url.startsWith("jdbc:mariadb:")
                        ? Kind.MARIADB
                        : url.startsWith("jdbc:mysql:") ? Kind.MYSQL : Kind.OTHER;
    }

    /**
     * Adds the driver properties for the pool's database that neither its URL nor its own properties set; answers
     * what it added. Must run before the pool opens its first connection.
     */
    static Map<String, String> apply(HikariDataSource pool, DatabaseProperties settings) {
        Kind kind = kind(pool.getJdbcUrl());
        Map<String, String> wanted = properties(kind, settings);
        Set<String> taken = optionsOf(pool.getJdbcUrl());
        pool.getDataSourceProperties().stringPropertyNames().forEach(n -> taken.add(n.toLowerCase(Locale.ROOT)));
        Map<String, String> added = new LinkedHashMap<>();
        wanted.forEach((name, value) -> {
            if (taken.contains(name.toLowerCase(Locale.ROOT))) {
                log.info(
                        "Database option {} is set by the configuration: payments.database.* leaves it as it is", name);
            } else {
                pool.addDataSourceProperty(name, value);
                added.put(name, value);
            }
        });
        return added;
    }

    /** The driver properties that carry the bounds, in each driver's own names and units. */
    static Map<String, String> properties(Kind kind, DatabaseProperties s) {
        Map<String, String> p = new LinkedHashMap<>();
        switch (kind) {
            case POSTGRESQL -> {
                // pgjdbc counts whole seconds; 0 is "none" there too
                putIfSet(p, "connectTimeout", s.connectTimeout(), seconds(s.connectTimeout()));
                putIfSet(p, "socketTimeout", s.socketTimeout(), seconds(s.socketTimeout()));
                p.put("tcpKeepAlive", "true");
                StringBuilder options = new StringBuilder();
                if (!s.statementTimeout().isZero()) {
                    // lock waits included: a statement waiting for a row lock is cancelled like a slow one
                    options.append("-c statement_timeout=")
                            .append(s.statementTimeout().toMillis());
                }
                if (!s.idleTransactionTimeout().isZero()) {
                    options.append(options.isEmpty() ? "" : " ")
                            .append("-c idle_in_transaction_session_timeout=")
                            .append(s.idleTransactionTimeout().toMillis());
                }
                if (!options.isEmpty()) {
                    p.put("options", options.toString());
                }
            }
            case MARIADB, MYSQL -> {
                putIfSet(
                        p,
                        "connectTimeout",
                        s.connectTimeout(),
                        Long.toString(s.connectTimeout().toMillis()));
                putIfSet(
                        p,
                        "socketTimeout",
                        s.socketTimeout(),
                        Long.toString(s.socketTimeout().toMillis()));
                StringBuilder variables = new StringBuilder();
                if (!s.statementTimeout().isZero()) {
                    // InnoDB's lock wait is 50 s unless told, and counts whole seconds
                    variables.append("innodb_lock_wait_timeout=").append(seconds(s.statementTimeout()));
                    if (kind == Kind.MARIADB) {
                        // every statement, not only SELECT (MySQL's max_execution_time is SELECT only, and unknown
                        // to MariaDB, so MySQL relies on the lock wait and the socket timeout)
                        variables
                                .append(",max_statement_time=")
                                .append(s.statementTimeout().toMillis() / 1000.0);
                    }
                }
                if (kind == Kind.MARIADB && !s.idleTransactionTimeout().isZero()) {
                    variables
                            .append(variables.isEmpty() ? "" : ",")
                            .append("idle_transaction_timeout=")
                            .append(seconds(s.idleTransactionTimeout()));
                }
                if (!variables.isEmpty()) {
                    p.put("sessionVariables", variables.toString());
                }
            }
            case OTHER -> {
                // H2 is in the process: nothing to time out but lock waits (LOCK_TIMEOUT in its URL)
            }
        }
        return p;
    }

    private static void putIfSet(Map<String, String> p, String name, Duration d, String value) {
        if (!d.isZero()) {
            p.put(name, value);
        }
    }

    /** Whole seconds, rounded up, at least 1. */
    private static String seconds(Duration d) {
        return Long.toString(Math.max(1, (d.toMillis() + 999) / 1000));
    }

    /** The option names in the URL's query part, lower case. */
    static Set<String> optionsOf(String url) {
        Set<String> names = new TreeSet<>();
        int q = url == null ? -1 : url.indexOf('?');
        if (q < 0) {
            return names;
        }
        for (String pair : url.substring(q + 1).split("[&;]")) {
            int eq = pair.indexOf('=');
            String name = (eq < 0 ? pair : pair.substring(0, eq)).strip();
            if (!name.isEmpty()) {
                names.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /**
     * The pool's database without the bounds this class added (the user's own options and the connect timeout
     * stay), unpooled: Flyway opens and closes its few connections itself.
     */
    static DataSource unbounded(HikariDataSource pool, DatabaseProperties settings) {
        Properties own = new Properties();
        own.putAll(pool.getDataSourceProperties());
        properties(kind(pool.getJdbcUrl()), settings).forEach((name, value) -> {
            if (!name.equals("connectTimeout") && value.equals(own.get(name))) {
                own.remove(name);
            }
        });
        if (pool.getUsername() != null) {
            own.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            own.setProperty("password", pool.getPassword());
        }
        DriverManagerDataSource migrations = new DriverManagerDataSource(pool.getJdbcUrl());
        migrations.setConnectionProperties(own);
        return migrations;
    }
}
