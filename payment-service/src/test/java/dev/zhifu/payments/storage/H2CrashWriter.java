package dev.zhifu.payments.storage;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;

/**
 * Run in a child JVM by {@link H2DurabilityTest}: opens an H2 file database through a connection pool as the
 * service does, closes it (H2 closes the database with its last connection) and opens it again, then commits one
 * row at a time and prints each id once its commit has returned (the "acknowledgement"), until it is killed.
 * Arguments: the database path, and {@code durable} to configure the pools with {@link H2Durability}.
 */
public final class H2CrashWriter {

    public static void main(String[] args) throws Exception {
        boolean durable = args.length > 1 && args[1].equals("durable");
        try (HikariDataSource first = pool(args[0], durable);
                Connection c = first.getConnection()) {
            c.createStatement()
                    .execute("CREATE TABLE IF NOT EXISTS acknowledged (id INT PRIMARY KEY, note VARCHAR(200))");
        }
        try (HikariDataSource pool = pool(args[0], durable);
                Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            PreparedStatement insert = c.prepareStatement("INSERT INTO acknowledged VALUES (?, ?)");
            String note = "x".repeat(150);
            for (int id = 1; ; id++) {
                insert.setInt(1, id);
                insert.setString(2, note);
                insert.executeUpdate();
                c.commit();
                System.out.println(id);
            }
        }
    }

    private static HikariDataSource pool(String path, boolean durable) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:h2:file:" + path);
        pool.setUsername("sa");
        pool.setMaximumPoolSize(2);
        if (durable) {
            H2Durability.makeCommitsDurable(pool);
        }
        return pool;
    }
}
