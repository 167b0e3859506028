package dev.zhifu.payments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.PaymentServiceApplication;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar payment-service.jar …} as a newcomer types it, in a JVM of its own (the exit code is the
 * process's): help and typos never start the service, a second start says in one line why it cannot.
 */
class CommandLineProcessTest {

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {}

    private Run run(String... args) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classPath,
                PaymentServiceApplication.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after 2 minutes: " + Files.readString(out));
        }
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void helpExitsZeroWithTheUsage() throws Exception {
        Run help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("usage: java -jar payment-service.jar");
        assertThat(help.err()).isEmpty();
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void aTypoExitsTwoWithTheNearestCommand() throws Exception {
        Run typo = run("doctr");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).startsWith("unknown command 'doctr'; did you mean 'doctor'?\nusage: ");
        assertThat(typo.out()).isEmpty();
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void aSecondStartOnATakenPortSaysSoInOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Run second = run("--server.port=" + taken.getLocalPort(), "--payments.data-dir=" + dir.resolve("data"));
            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(second.out()).isEmpty();
            assertThat(second.err().lines().toList())
                    .containsExactly("payment-service: port " + taken.getLocalPort()
                            + " on 127.0.0.1 is already in use (is payment-service already running?). Stop that process, or"
                            + " start this one with --server.port=<another port>.");
        }
    }

    @Test
    void aSecondStartOnTheSameDatabaseFileSaysSoInOneLine() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        try (Connection first = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("payments"), "sa", "")) {
            first.createStatement().execute("CREATE TABLE held(x INT)");
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Run second = run("--server.port=" + port, "--payments.data-dir=" + data);
            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(second.err().lines().toList())
                    .containsExactly("payment-service: the database "
                            + data.resolve("payments.mv.db")
                            + " is in use by another process (is payment-service already"
                            + " running from this directory?). Stop that process, or give this one its own"
                            + " --payments.data-dir=DIR.");
        }
    }

    @Test
    void aMisspeltSettingStopsTheStartAndNamesTheRightOne() throws Exception {
        Run typo = run("--server.port=0", "--payments.data-dir=" + dir.resolve("data"), "--payments.webhook-ulr=x");
        assertThat(typo.exitCode()).isEqualTo(1);
        assertThat(typo.out())
                .contains("payments.webhook-ulr (command line): did you mean payments.webhook-url?")
                .doesNotContain("Tomcat")
                .doesNotContain("HikariPool");
        assertThat(dir.resolve("data/payments.mv.db")).doesNotExist();
    }

    @Test
    void aMisspeltWechatPaySettingStopsTheStartToo() throws Exception {
        Run typo = run("--server.port=0", "--payments.data-dir=" + dir.resolve("data"), "--wechatpay.apiv3-kye=x");
        assertThat(typo.exitCode()).isEqualTo(1);
        assertThat(typo.out())
                .contains("wechatpay.apiv3-kye (command line): did you mean wechatpay.apiv3-key?")
                .doesNotContain("Tomcat");
        assertThat(dir.resolve("data/payments.mv.db")).doesNotExist();
    }
}
