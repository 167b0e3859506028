package dev.zhifu.payments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class StartChecksTest {

    @TempDir
    Path dir;

    @Test
    void aTakenPortIsSaidInOneLineBeforeAnythingOpens() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            MockEnvironment env = new MockEnvironment()
                    .withProperty("server.port", "" + taken.getLocalPort())
                    .withProperty("server.address", "127.0.0.1");
            assertThat(StartChecks.problem(env))
                    .isEqualTo("port " + taken.getLocalPort() + " on 127.0.0.1 is already in"
                            + " use (is payment-service already running?). Stop that process, or start this one with"
                            + " --server.port=<another port>.");
        }
        assertThat(StartChecks.portInUse(new MockEnvironment().withProperty("server.port", "0")))
                .isNull();
    }

    @Test
    void anH2FileHeldOpenIsSaidInOneLineAndAFreeOneIsNot() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("payments") + ";LOCK_TIMEOUT=10000";
        try (Connection open = DriverManager.getConnection(url, "sa", "")) {
            open.createStatement().execute("CREATE TABLE t(x INT)");
            assertThat(StartChecks.databaseInUse(url))
                    .isEqualTo("the database " + dir.resolve("payments.mv.db")
                            + " is in use by another process (is payment-service already running from this directory?). Stop"
                            + " that process, or give this one its own --payments.data-dir=DIR.");
        }
        assertThat(StartChecks.databaseInUse(url)).isNull();
    }

    @Test
    void onlyH2FilesWithoutAServerModeAreLookedAt() {
        assertThat(StartChecks.h2File("jdbc:h2:file:./data/payments;LOCK_TIMEOUT=10000"))
                .isEqualTo(Path.of("data/payments.mv.db").toAbsolutePath());
        assertThat(StartChecks.h2File("jdbc:h2:" + dir + "/db")).isEqualTo(dir.resolve("db.mv.db"));
        assertThat(StartChecks.h2File("jdbc:h2:~/db")).isEqualTo(Path.of(System.getProperty("user.home"), "db.mv.db"));
        assertThat(StartChecks.h2File("jdbc:h2:mem:test")).isNull();
        assertThat(StartChecks.h2File("jdbc:h2:tcp://localhost/~/test")).isNull();
        assertThat(StartChecks.h2File("jdbc:h2:file:./data/p;AUTO_SERVER=TRUE")).isNull();
        assertThat(StartChecks.h2File("jdbc:postgresql://127.0.0.1/payments")).isNull();
        assertThat(StartChecks.h2File(null)).isNull();
    }
}
