package dev.zhifu.payments.storage;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code payments.database.*}: how long anything may wait for the database (README, "When the database fails").
 * Applied to PostgreSQL, MariaDB and MySQL connections by {@link DatabaseTimeouts}; H2 runs in the process and
 * bounds only its lock waits, with {@code LOCK_TIMEOUT} in its URL. {@code 0} turns a bound off.
 *
 * @param connectTimeout         opening a TCP connection to the database
 * @param statementTimeout       the database cancels a statement (lock waits included) that runs longer
 * @param socketTimeout          the longest silence on an open connection before the driver gives it up: a
 *                               partitioned database, or one that stopped answering; longer than
 *                               {@code statementTimeout}, so that a slow statement is cancelled by the database
 *                               (the connection survives) before the connection is dropped
 * @param idleTransactionTimeout the database ends a session idle inside a transaction this long, so the row locks
 *                               of a client that vanished mid-transaction are released
 * @param checkInterval          how often the readiness check ({@link DatabaseHealth}) asks the database
 * @param checkTimeout           a check without an answer this long counts as the database unreachable
 */
@ConfigurationProperties("payments.database")
public record DatabaseProperties(
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("3s") Duration statementTimeout,
        @DefaultValue("4s") Duration socketTimeout,
        @DefaultValue("30s") Duration idleTransactionTimeout,
        @DefaultValue("1s") Duration checkInterval,
        @DefaultValue("2s") Duration checkTimeout) {

    public DatabaseProperties {
        for (Duration d : new Duration[] {connectTimeout, statementTimeout, socketTimeout, idleTransactionTimeout}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("payments.database.*-timeout: not negative, got " + d);
            }
        }
        if (!socketTimeout.isZero() && !statementTimeout.isZero() && socketTimeout.compareTo(statementTimeout) <= 0) {
            throw new IllegalArgumentException("payments.database.socket-timeout (" + socketTimeout
                    + ") must be longer than payments.database.statement-timeout (" + statementTimeout + ")");
        }
        if (checkInterval.compareTo(Duration.ofMillis(100)) < 0 || checkTimeout.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("payments.database.check-interval and check-timeout: at least 100ms");
        }
    }
}
