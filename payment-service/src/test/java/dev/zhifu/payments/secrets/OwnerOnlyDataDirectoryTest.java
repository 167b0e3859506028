package dev.zhifu.payments.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.mock.env.MockEnvironment;

class OwnerOnlyDataDirectoryTest {

    @TempDir
    Path dir;

    private static void prepared(MockEnvironment env) {
        new OwnerOnlyDataDirectory()
                .onApplicationEvent(new ApplicationEnvironmentPreparedEvent(
                        new DefaultBootstrapContext(), new SpringApplication(), new String[0], env));
    }

    @Test
    void productionsH2DirectoryIsCreatedOwnerOnly() throws Exception {
        Path data = dir.resolve("srv/data");
        prepared(new MockEnvironment()
                .withProperty("alipay.gateway-url", "https://openapi.alipay.com/gateway.do")
                .withProperty("spring.datasource.url", "jdbc:h2:file:" + data + "/payments;LOCK_TIMEOUT=10000"));
        assertThat(SecretFilesTest.mode(data)).isEqualTo("rwx------");
        assertThat(SecretFilesTest.mode(dir.resolve("srv"))).isEqualTo("rwx------");
    }

    @Test
    void theDemosDataDirectoryIsCreatedOwnerOnlyWhateverTheDatabase() throws Exception {
        Path data = dir.resolve("demo-data");
        prepared(new MockEnvironment()
                .withProperty("payments.data-dir", data.toString())
                .withProperty("spring.datasource.url", "jdbc:h2:mem:x"));
        assertThat(SecretFilesTest.mode(data)).isEqualTo("rwx------");
    }

    @Test
    void nothingIsCreatedForAServerDatabaseInProduction() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("alipay.gateway-url", "https://openapi.alipay.com/gateway.do")
                .withProperty("payments.data-dir", dir.resolve("unused").toString())
                .withProperty("spring.datasource.url", "jdbc:postgresql://db.internal:5432/payments");
        prepared(env);
        assertThat(dir.resolve("unused")).doesNotExist();
        assertThat(OwnerOnlyDataDirectory.directories(env)).isEmpty();
    }

    @Test
    void h2UrlsAreReadAsH2ReadsThem() {
        assertThat(OwnerOnlyDataDirectory.h2File("jdbc:h2:file:./data/payments;LOCK_TIMEOUT=10000"))
                .isEqualTo(Path.of("./data/payments"));
        assertThat(OwnerOnlyDataDirectory.h2File("jdbc:h2:/var/lib/pay/db")).isEqualTo(Path.of("/var/lib/pay/db"));
        assertThat(OwnerOnlyDataDirectory.h2File("jdbc:h2:~/pay/db"))
                .isEqualTo(Path.of(System.getProperty("user.home") + "/pay/db"));
        assertThat(OwnerOnlyDataDirectory.h2File("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1"))
                .isNull();
        assertThat(OwnerOnlyDataDirectory.h2File("jdbc:h2:tcp://localhost/~/test"))
                .isNull();
        assertThat(OwnerOnlyDataDirectory.h2File("jdbc:mariadb://db/payments")).isNull();
    }
}
