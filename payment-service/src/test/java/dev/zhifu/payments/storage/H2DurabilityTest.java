package dev.zhifu.payments.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2DurabilityTest {

    @TempDir
    Path dir;

    private static HikariDataSource pool(String url, String user, String password) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(2);
        pool.setInitializationFailTimeout(-1); // fail on getConnection, not in the constructor
        return pool;
    }

    @Test
    void everyConnectionToAnH2FileDatabaseSetsWriteDelayZero() {
        try (HikariDataSource file = pool("jdbc:h2:file:" + dir.resolve("db"), "sa", "")) {
            assertThat(H2Durability.makeCommitsDurable(file)).isTrue();
            assertThat(file.getConnectionInitSql()).isEqualTo("SET WRITE_DELAY 0");
        }
        try (HikariDataSource implicit = pool("jdbc:h2:" + dir.resolve("db3") + ";LOCK_TIMEOUT=10000", "sa", "")) {
            assertThat(H2Durability.makeCommitsDurable(implicit)).isTrue();
        }
        for (String other : List.of(
                "jdbc:h2:mem:durability",
                "jdbc:postgresql://127.0.0.1:5432/test",
                "jdbc:mariadb://127.0.0.1:3306/test")) {
            try (HikariDataSource pool = pool(other, "sa", "")) {
                assertThat(H2Durability.makeCommitsDurable(pool)).as(other).isFalse();
                assertThat(pool.getConnectionInitSql()).isNull();
            }
        }
        try (HikariDataSource own = pool("jdbc:h2:file:" + dir.resolve("db4"), "sa", "")) {
            own.setConnectionInitSql("SET LOCK_TIMEOUT 5000");
            assertThat(H2Durability.makeCommitsDurable(own)).isFalse();
            assertThat(own.getConnectionInitSql()).isEqualTo("SET LOCK_TIMEOUT 5000");
        }
    }

    @Test
    void aUserWhoMayNotSetItGetsNoConnectionRatherThanLosableCommits() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db2");
        try (HikariDataSource admin = pool(url, "sa", "");
                Connection keepsItOpen = admin.getConnection()) {
            keepsItOpen.createStatement().execute("CREATE USER shop PASSWORD 'pw'");
            try (HikariDataSource shop = pool(url, "shop", "pw")) {
                H2Durability.makeCommitsDurable(shop);
                assertThatThrownBy(shop::getConnection).hasStackTraceContaining("Admin rights are required");
            }
        }
    }

    /**
     * The crash itself: SIGKILL a process that commits in a loop, on a database it has closed and opened again;
     * every commit it acknowledged is there after. (Without H2Durability the same run loses thousands.)
     */
    @Test
    void aKilledProcessLosesNoAcknowledgedCommit() throws Exception {
        Path db = dir.resolve("crash");
        Process writer = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        H2CrashWriter.class.getName(),
                        db.toString(),
                        "durable"))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int acknowledged = 0;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.matches("[0-9]+")) {
                    continue; // its log
                }
                acknowledged = Integer.parseInt(line);
                if (acknowledged == 3_000) {
                    writer.toHandle().destroyForcibly(); // SIGKILL (and, unlike Process.destroy, the pipe stays open)
                    break;
                }
            }
            // lines written before the kill landed are acknowledgements too (a cut-off last line counts less)
            while ((line = out.readLine()) != null) {
                if (line.matches("[0-9]+")) {
                    acknowledged = Math.max(acknowledged, Integer.parseInt(line));
                }
            }
        } finally {
            writer.destroyForcibly().waitFor();
        }
        assertThat(acknowledged).isGreaterThanOrEqualTo(3_000);
        try (HikariDataSource after = pool("jdbc:h2:file:" + db, "sa", "");
                Connection c = after.getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*), MAX(id) FROM acknowledged")) {
            rs.next();
            assertThat(rs.getInt(2)).as("the last acknowledged commit").isGreaterThanOrEqualTo(acknowledged);
            assertThat(rs.getInt(1)).isEqualTo(rs.getInt(2));
        }
    }
}
