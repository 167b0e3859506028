package dev.zhifu.loadtest;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A fresh database on the local PostgreSQL (127.0.0.1:5432, user postgres, trust auth) for one run. */
public final class Postgres implements AutoCloseable {

    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    public static final String USER = "postgres";

    private final String name;

    private Postgres(String name) {
        this.name = name;
    }

    /** Null when the server answers; else why not. */
    public static String unavailableReason() {
        try (Connection c = connect("postgres")) {
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    public static Postgres createFresh(String prefix) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder name = new StringBuilder(prefix).append('_');
        for (int i = 0; i < 10; i++) {
            name.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        execute("CREATE DATABASE " + name);
        return new Postgres(name.toString());
    }

    public String name() {
        return name;
    }

    public String url() {
        return SERVER + name;
    }

    public Connection connect() throws SQLException {
        return connect(name);
    }

    private static Connection connect(String database) throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", USER);
        p.setProperty("password", "");
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(SERVER + database, p);
    }

    private static void execute(String sql) {
        try (Connection c = connect("postgres");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL: " + sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the server runs autovacuum (a production server does; a test server may not, and then a long run's
     * dead rows pile up and slow every update).
     */
    public boolean autovacuum() {
        try (Connection c = connect();
                Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("SHOW autovacuum")) {
            return r.next() && r.getString(1).equals("on");
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL: SHOW autovacuum: " + e.getMessage(), e);
        }
    }

    /** {@code VACUUM (ANALYZE)} of this database, what autovacuum would do; a failure is reported, not thrown. */
    public void vacuum() {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("VACUUM (ANALYZE)");
        } catch (SQLException e) {
            System.err.println("[load-test] PostgreSQL: VACUUM failed: " + e.getMessage());
        }
    }

    /** Drops the database (best effort: a left-over database has a unique name and harms nothing). */
    @Override
    public void close() {
        try {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (RuntimeException ignored) {
            // best effort
        }
    }
}
