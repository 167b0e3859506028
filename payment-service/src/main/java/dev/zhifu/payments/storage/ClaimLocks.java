package dev.zhifu.payments.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

/**
 * The row-lock clause of a claim's {@code SELECT … LIMIT n}: the background jobs' leases and the webhook outbox
 * take their rows with it, then a conditional UPDATE that alone decides who got a row.
 * <p>
 * {@code FOR UPDATE SKIP LOCKED} on PostgreSQL, MySQL 8 and MariaDB 10.6+, so instances sharing a database pass
 * each other's rows by. Nothing on H2: H2 2.4 locks every row the WHERE clause matches, not only the {@code LIMIT}
 * it returns, and writes each lock into its row, so with a backlog larger than a claim every claim rewrote the
 * backlog's pages (an idle service with 32,000 pending payments kept a core busy: BENCHMARKS.md, "Soak and idle
 * cost"). An H2 file has one instance, so there is no one to skip.
 */
@Component
public class ClaimLocks {

    private final DataSource dataSource;
    /** Found out from the database at the first claim, not at start-up: the database may come later. */
    private volatile String clause;

    public ClaimLocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The clause to append to a claim's SELECT, with its leading space, or "" on H2. */
    public String skipLocked() {
        String known = clause;
        if (known == null) {
            Connection c = DataSourceUtils.getConnection(dataSource);
            try {
                String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
                known = product.contains("h2") ? "" : " FOR UPDATE SKIP LOCKED";
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the database's name: " + e.getMessage(), e);
            } finally {
                DataSourceUtils.releaseConnection(c, dataSource);
            }
            clause = known;
        }
        return known;
    }
}
