package dev.zhifu.payments.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The databases the suite runs on. PostgreSQL and MariaDB are the local servers (trust auth / empty root
 * password, database {@code test}); each context gets a fresh schema or database so runs never collide.
 */
public enum TestDatabase {
    H2,
    POSTGRES,
    MARIADB;

    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String MARIA = "jdbc:mariadb://127.0.0.1:3306/";

    /** Creates a fresh schema or database called {@code name}; answers the datasource properties for it. */
    public Map<String, Object> create(String name, String dataDir) {
        Map<String, Object> p = new LinkedHashMap<>();
        switch (this) {
            case H2 -> {
                p.put("spring.datasource.url", "jdbc:h2:file:" + dataDir + "/payments;LOCK_TIMEOUT=10000");
                p.put("spring.datasource.username", "sa");
                p.put("spring.datasource.password", "");
            }
            case POSTGRES -> {
                String user = postgresUser();
                execute(PG, user, "", "CREATE SCHEMA " + name);
                p.put("spring.datasource.url", PG + "?currentSchema=" + name);
                p.put("spring.datasource.username", user);
                p.put("spring.datasource.password", "");
            }
            case MARIADB -> {
                execute(MARIA + "test", "root", "", "CREATE DATABASE " + name);
                p.put("spring.datasource.url", MARIA + name);
                p.put("spring.datasource.username", "root");
                p.put("spring.datasource.password", "");
            }
        }
        return p;
    }

    public void drop(String name) {
        try {
            switch (this) {
                case H2 -> {}
                case POSTGRES -> execute(PG, postgresUser(), "", "DROP SCHEMA " + name + " CASCADE");
                case MARIADB -> execute(MARIA + "test", "root", "", "DROP DATABASE " + name);
            }
        } catch (RuntimeException ignored) {
            // best effort: a left-over schema has a unique name and harms nothing
        }
    }

    /** Whether the server answers; H2 always does. */
    public String unavailableReason() {
        try {
            switch (this) {
                case H2 -> {
                    return null;
                }
                case POSTGRES -> execute(PG, postgresUser(), "", "SELECT 1");
                case MARIADB -> execute(MARIA + "test", "root", "", "SELECT 1");
            }
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    private static String postgresUser() {
        for (String user : List.of("postgres", "root")) {
            try (Connection ignored = DriverManager.getConnection(PG, user, "")) {
                return user;
            } catch (SQLException tryNext) {
                // next
            }
        }
        throw new IllegalStateException("PostgreSQL at " + PG + " does not accept user postgres or root");
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(url + ": " + e.getMessage(), e);
        }
    }
}
