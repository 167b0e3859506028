package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.testing.ProductionInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** The data directory the service creates holds the H2 database and the demo's keys: this user's alone. */
class DataDirectoryTest {

    @TempDir
    Path dir;

    static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void theDemoCreatesItsDataDirectoryOwnerOnly() throws IOException {
        Path dataDir = dir.resolve("fresh/data");
        try (ConfigurableApplicationContext demo = ProductionInstance.start(
                List.of("--server.port=" + ProductionInstance.freePort(), "--payments.data-dir=" + dataDir))) {
            assertThat(dataDir.resolve("payments.mv.db")).as("the H2 database").exists();
            assertThat(mode(dataDir)).isEqualTo("rwx------");
            assertThat(mode(dataDir.resolve("demo-keys"))).isEqualTo("rwx------");
            assertThat(mode(dataDir.resolve("demo-keys/app_private_key.pem"))).isEqualTo("rw-------");
        }
    }
}
