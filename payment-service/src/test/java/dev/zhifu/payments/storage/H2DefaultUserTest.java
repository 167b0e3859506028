package dev.zhifu.payments.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The datasource settings as the service's own application.properties and H2DefaultUser leave them. */
class H2DefaultUserTest {

    @Configuration(proxyBeanMethods = false)
    static class Nothing {}

    private static String[] datasource(String... args) {
        SpringApplication app = new SpringApplication(Nothing.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = app.run(args)) {
            Environment env = context.getEnvironment();
            return new String[] {
                env.getProperty("spring.datasource.url"),
                env.getProperty("spring.datasource.username"),
                env.getProperty("spring.datasource.password")
            };
        }
    }

    @Test
    void theDemosH2DatabaseIsOpenedAsSa() {
        assertThat(datasource("--payments.data-dir=/tmp/d"))
                .containsExactly("jdbc:h2:file:/tmp/d/payments;LOCK_TIMEOUT=3000;DB_CLOSE_ON_EXIT=FALSE", "sa", "");
    }

    @Test
    void aPostgresUrlWithoutAUserGetsNoneOfH2s() {
        assertThat(datasource("--spring.datasource.url=jdbc:postgresql://127.0.0.1/payments"))
                .containsExactly("jdbc:postgresql://127.0.0.1/payments", null, null);
        assertThat(datasource(
                        "--spring.datasource.url=jdbc:mariadb://127.0.0.1/payments",
                        "--spring.datasource.password=secret"))
                .containsExactly("jdbc:mariadb://127.0.0.1/payments", null, "secret");
    }

    @Test
    void aUserGivenForH2IsKept() {
        assertThat(datasource(
                        "--spring.datasource.url=jdbc:h2:mem:x",
                        "--spring.datasource.username=app",
                        "--spring.datasource.password=pw"))
                .containsExactly("jdbc:h2:mem:x", "app", "pw");
    }
}
