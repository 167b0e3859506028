package dev.zhifu.payments.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.admin.AdminPassword;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's keys, API key and admin password: other users of the machine cannot read them. */
class DemoSecretsTest {

    @TempDir
    Path dir;

    static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void demoSecretsAndTheirDirectoriesAreOwnerOnly() throws IOException {
        Path dataDir = dir.resolve("fresh/data");
        DemoKeys keys = DemoKeys.loadOrCreate(dataDir.toString());
        String password = AdminPassword.demoPassword(dataDir.toString());

        assertThat(mode(dir.resolve("fresh"))).isEqualTo("rwx------");
        assertThat(mode(dataDir)).isEqualTo("rwx------");
        assertThat(mode(keys.dir())).isEqualTo("rwx------");
        for (String secret :
                new String[] {"app_private_key.pem", "alipay_private_key.pem", "demo_api_key.txt", "admin_password.txt"
                }) {
            assertThat(mode(keys.dir().resolve(secret))).as(secret).isEqualTo("rw-------");
        }
        // read back as written
        assertThat(DemoKeys.loadOrCreate(dataDir.toString()).apiKey()).isEqualTo(keys.apiKey());
        assertThat(AdminPassword.demoPassword(dataDir.toString()))
                .isEqualTo(password)
                .startsWith("admin_");
        try (var files = Files.list(keys.dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }
}
