package dev.zhifu.loadtest;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fresh database on one of the machine's shared servers (PostgreSQL 127.0.0.1:5432, user postgres, trust;
 * MariaDB 127.0.0.1:3306, root, empty password), with a random name so that parallel runs never meet, reached by
 * the service through a {@link DatabaseProxy} and by the test directly. Dropped by {@link #close()}.
 */
final class FaultyDatabase implements AutoCloseable {

    private final DatabaseProxy.Wire wire;
    private final String name;
    private final DatabaseProxy proxy;

    private FaultyDatabase(DatabaseProxy.Wire wire, String name) {
        this.wire = wire;
        this.name = name;
        this.proxy = new DatabaseProxy(wire, serverPort(wire));
    }

    /** Null when the server answers; else why not. */
    static String unavailableReason(DatabaseProxy.Wire wire) {
        try (Connection c = DriverManager.getConnection(adminUrl(wire), user(wire), "")) {
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    static FaultyDatabase createFresh(DatabaseProxy.Wire wire, String prefix) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder name = new StringBuilder(prefix).append('_');
        for (int i = 0; i < 10; i++) {
            name.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        execute(wire, "CREATE DATABASE " + name);
        return new FaultyDatabase(wire, name.toString());
    }

    DatabaseProxy proxy() {
        return proxy;
    }

    String name() {
        return name;
    }

    DatabaseProxy.Wire wire() {
        return wire;
    }

    /** The service's URL: through the proxy, without TLS (the proxy reads the protocol to cut at a commit). */
    String serviceUrl() {
        return wire == DatabaseProxy.Wire.POSTGRESQL
                ? "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + name + "?sslmode=disable"
                : "jdbc:mariadb://127.0.0.1:" + proxy.port() + "/" + name;
    }

    String user() {
        return user(wire);
    }

    /** The test's own connection, straight to the server. */
    Connection connect() throws SQLException {
        String url = wire == DatabaseProxy.Wire.POSTGRESQL
                ? "jdbc:postgresql://127.0.0.1:5432/" + name
                : "jdbc:mariadb://127.0.0.1:3306/" + name;
        return DriverManager.getConnection(url, user(wire), "");
    }

    private static int serverPort(DatabaseProxy.Wire wire) {
        return wire == DatabaseProxy.Wire.POSTGRESQL ? 5432 : 3306;
    }

    private static String user(DatabaseProxy.Wire wire) {
        return wire == DatabaseProxy.Wire.POSTGRESQL ? Postgres.USER : "root";
    }

    private static String adminUrl(DatabaseProxy.Wire wire) {
        return wire == DatabaseProxy.Wire.POSTGRESQL
                ? "jdbc:postgresql://127.0.0.1:5432/postgres?connectTimeout=5"
                : "jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=5000";
    }

    private static void execute(DatabaseProxy.Wire wire, String sql) {
        try (Connection c = DriverManager.getConnection(adminUrl(wire), user(wire), "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(wire + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Closes the proxy and drops the database (best effort: a left-over has a unique name and harms nothing). */
    @Override
    public void close() {
        proxy.close();
        try {
            execute(
                    wire,
                    wire == DatabaseProxy.Wire.POSTGRESQL
                            ? "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"
                            : "DROP DATABASE IF EXISTS " + name);
        } catch (RuntimeException ignored) {
            // best effort
        }
    }
}
