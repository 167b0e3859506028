package dev.zhifu.payments.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.zhifu.payments.testing.TestDatabase;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The bounds of payments.database.* in each driver's own names and units, an option the configuration set kept,
 * and, on the local PostgreSQL and MariaDB when they answer, a statement that runs too long cancelled by the
 * database within the bound and recognised as the database being unavailable.
 */
class DatabaseTimeoutsTest {

    private static final DatabaseProperties DEFAULTS = new DatabaseProperties(
            Duration.ofSeconds(2),
            Duration.ofSeconds(3),
            Duration.ofSeconds(4),
            Duration.ofSeconds(30),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2));

    private static HikariDataSource pool(String url) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setInitializationFailTimeout(-1);
        return pool;
    }

    @Test
    void postgresqlGetsSecondsAndItsServerSideTimeoutsAsOptions() {
        try (HikariDataSource pool = pool("jdbc:postgresql://db:5432/payments")) {
            DatabaseTimeouts.apply(pool, DEFAULTS);
            Properties p = pool.getDataSourceProperties();
            assertThat(p)
                    .containsEntry("connectTimeout", "2")
                    .containsEntry("socketTimeout", "4")
                    .containsEntry("tcpKeepAlive", "true")
                    .containsEntry("options", "-c statement_timeout=3000 -c idle_in_transaction_session_timeout=30000");
        }
    }

    @Test
    void mariadbGetsMillisecondsAndSessionVariables() {
        try (HikariDataSource pool = pool("jdbc:mariadb://db:3306/payments")) {
            DatabaseTimeouts.apply(pool, DEFAULTS);
            assertThat(pool.getDataSourceProperties())
                    .containsEntry("connectTimeout", "2000")
                    .containsEntry("socketTimeout", "4000")
                    .containsEntry(
                            "sessionVariables",
                            "innodb_lock_wait_timeout=3,max_statement_time=3.0,idle_transaction_timeout=30");
        }
    }

    @Test
    void mysqlGetsNoVariableMariaDbWouldRefuse() {
        try (HikariDataSource pool = pool("jdbc:mysql://db:3306/payments")) {
            DatabaseTimeouts.apply(pool, DEFAULTS);
            assertThat(pool.getDataSourceProperties())
                    .containsEntry("socketTimeout", "4000")
                    .containsEntry("sessionVariables", "innodb_lock_wait_timeout=3");
        }
    }

    @Test
    void h2GetsNothing() {
        try (HikariDataSource pool = pool("jdbc:h2:mem:x;LOCK_TIMEOUT=3000")) {
            assertThat(DatabaseTimeouts.apply(pool, DEFAULTS)).isEmpty();
            assertThat(pool.getDataSourceProperties()).isEmpty();
        }
    }

    @Test
    void anOptionTheConfigurationSetIsKept() {
        try (HikariDataSource pool = pool("jdbc:postgresql://db/payments?SocketTimeout=600&ssl=false")) {
            pool.addDataSourceProperty("options", "-c search_path=shop");
            Map<String, String> added = DatabaseTimeouts.apply(pool, DEFAULTS);
            assertThat(added)
                    .containsKeys("connectTimeout", "tcpKeepAlive")
                    .doesNotContainKeys("socketTimeout", "options");
            assertThat(pool.getDataSourceProperties())
                    .containsEntry("options", "-c search_path=shop")
                    .doesNotContainKey("socketTimeout");
        }
    }

    @Test
    void zeroTurnsABoundOff() {
        DatabaseProperties none = new DatabaseProperties(
                Duration.ZERO,
                Duration.ZERO,
                Duration.ZERO,
                Duration.ZERO,
                Duration.ofSeconds(1),
                Duration.ofSeconds(2));
        assertThat(DatabaseTimeouts.properties(DatabaseTimeouts.Kind.POSTGRESQL, none))
                .containsOnlyKeys("tcpKeepAlive");
        assertThat(DatabaseTimeouts.properties(DatabaseTimeouts.Kind.MARIADB, none))
                .isEmpty();
    }

    @Test
    void theSocketBoundMustOutlastTheStatementBound() {
        assertThatThrownBy(() -> new DatabaseProperties(
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(5),
                        Duration.ZERO,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2)))
                .hasMessageContaining("socket-timeout");
    }

    @Test
    void migrationsRunWithoutTheStatementAndSocketBounds() {
        try (HikariDataSource pool = pool("jdbc:postgresql://db/payments")) {
            pool.setUsername("pay");
            pool.setPassword("secret");
            pool.addDataSourceProperty("ApplicationName", "shop");
            DatabaseTimeouts.apply(pool, DEFAULTS);
            var migrations = (org.springframework.jdbc.datasource.DriverManagerDataSource)
                    DatabaseTimeouts.unbounded(pool, DEFAULTS);
            assertThat(migrations.getConnectionProperties())
                    .containsEntry("connectTimeout", "2")
                    .containsEntry("ApplicationName", "shop")
                    .containsEntry("user", "pay")
                    .doesNotContainKeys("socketTimeout", "options");
        }
    }

    @Test
    void failuresOfTheDatabaseAreToldFromRefusedStatements() {
        assertThat(DatabaseFailures.unavailable(new CannotGetJdbcConnectionException("pool timed out")))
                .isTrue();
        assertThat(DatabaseFailures.unavailable(new CannotCreateTransactionException("no connection")))
                .isTrue();
        assertThat(DatabaseFailures.unavailable(new DataAccessResourceFailureException(
                        "I/O", new SQLException("An I/O error occurred while sending to the backend", "08006"))))
                .isTrue();
        assertThat(DatabaseFailures.unavailable(new RuntimeException(
                        new SQLException("canceling statement due to " + "statement timeout", "57014"))))
                .isTrue();
        assertThat(DatabaseFailures.unavailable(new TransactionSystemException(
                        "JDBC rollback failed", new SQLException("Connection is closed"))))
                .isTrue();
        assertThat(DatabaseFailures.unavailable(new DataIntegrityViolationException("duplicate key")))
                .isFalse();
        assertThat(DatabaseFailures.unavailable(new CannotAcquireLockException("lock wait")))
                .isFalse();
        // a socket time-out counts below a database exception only (not an Alipay call's)
        assertThat(DatabaseFailures.unavailable(new RuntimeException(new SocketTimeoutException("read"))))
                .isFalse();
        assertThat(DatabaseFailures.unavailable(new SQLException("read", "S1000", new SocketTimeoutException())))
                .isTrue();
    }

    @Test
    void postgresqlCancelsAStatementAtTheBound() {
        statementCancelledAtTheBound(
                TestDatabase.POSTGRES, "jdbc:postgresql://127.0.0.1:5432/test", "SELECT pg_sleep(30)");
    }

    @Test
    void mariadbCancelsAStatementAtTheBound() {
        statementCancelledAtTheBound(TestDatabase.MARIADB, "jdbc:mariadb://127.0.0.1:3306/test", "SELECT SLEEP(30)");
    }

    private static void statementCancelledAtTheBound(TestDatabase database, String url, String slow) {
        String unavailable = database.unavailableReason();
        if (unavailable != null && !"true".equalsIgnoreCase(System.getenv("CI"))) {
            Assumptions.abort(database + " not reachable: " + unavailable);
        }
        DatabaseProperties oneSecond = new DatabaseProperties(
                Duration.ofSeconds(2),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2));
        try (HikariDataSource pool = pool(url)) {
            pool.setUsername(database == TestDatabase.POSTGRES ? postgresUser(url) : "root");
            pool.setPassword("");
            pool.setMaximumPoolSize(1);
            DatabaseTimeouts.apply(pool, oneSecond);
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            long t0 = System.nanoTime();
            Throwable failure = null;
            try {
                jdbc.queryForList(slow);
            } catch (RuntimeException e) {
                failure = e;
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(failure).as("the 30 s statement was cancelled").isNotNull();
            assertThat(DatabaseFailures.unavailable(failure))
                    .as(failure.toString())
                    .isTrue();
            // 1 s bound; the socket bound (10 s) did not get to act, nor did the statement finish
            assertThat(millis).isLessThan(9_000);
            // the connection survived: the database cancelled the statement, the driver did not drop the socket
            assertThat(jdbc.queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
        }
    }

    private static String postgresUser(String url) {
        for (String user : new String[] {"postgres", "root"}) {
            try (Connection c = java.sql.DriverManager.getConnection(url, user, "");
                    Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                return user;
            } catch (SQLException next) {
                // try the next
            }
        }
        return "postgres";
    }
}
