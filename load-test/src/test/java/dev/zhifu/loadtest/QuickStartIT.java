package dev.zhifu.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code payment-service/quick-start.sh}, the fast way to start the service (extracted jar, AppCDS archive,
 * C1): from nothing it must prepare its directory, make the archive without the training start crashing
 * (JDK 17 does when native RSA's lambdas are archived) and start a working demo; a second start must reuse
 * what it made. No timing is asserted here (BENCHMARKS.md has the figures); only that it works.
 */
class QuickStartIT {

    @Test
    void preparesOnceThenStartsAWorkingDemoFromTheArchive() throws Exception {
        Path built =
                Path.of(System.getProperty("loadtest.service-jar", "../payment-service/target/payment-service.jar"));
        Path script = built.toAbsolutePath().getParent().getParent().resolve("quick-start.sh");
        Path work = Files.createDirectories(Path.of(System.getProperty("loadtest.work-dir", "target/it-work")))
                .resolve("quick-start-" + System.currentTimeMillis());
        // a jar under a name of the user's own (QUICK_START_JAR), as a release or an image would have it
        Path jar = Files.copy(built, Files.createDirectories(work).resolve("shop-payments-1.0.jar"));
        Path prepared = work.resolve("prepared");
        Map<String, String> env = Map.of("QUICK_START_DIR", prepared.toString());

        for (String round : List.of("first", "second")) {
            Path data = work.resolve(round + "-data");
            ServiceProcess.Spec spec = new ServiceProcess.Spec(
                    jar, ServiceProcess.freePort(), data, List.of(), List.of(), work.resolve(round + ".log"));
            try (ServiceProcess service = ServiceProcess.startScript(script, spec, env)) {
                service.awaitReady(Duration.ofSeconds(180));
                HttpResponse<String> shop = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(service.base() + "/"))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(shop.statusCode())
                        .as(round + " start: the demo shop answers")
                        .isEqualTo(200);
                assertThat(Files.isRegularFile(data.resolve("demo-keys").resolve("demo_api_key.txt")))
                        .as(round + " start: demo mode made its keys")
                        .isTrue();
                Path maps = Path.of("/proc/" + service.pid() + "/maps");
                if (Files.isReadable(maps)) { // Linux, where ACCP's native library is the one in its jar
                    assertThat(Files.readString(maps))
                            .as(round + " start: ACCP's library loaded from the prepared directory, not from a "
                                    + "temporary copy (nor left out)")
                            .contains(prepared.resolve("native")
                                    .resolve("libamazonCorrettoCryptoProvider.so")
                                    .toString());
                }
            }
            String log = Files.readString(spec.log());
            if (round.equals("first")) {
                assertThat(log).as("the first start prepares").contains("quick-start: preparing");
            } else {
                assertThat(log)
                        .as("the second start reuses what the first made")
                        .doesNotContain("quick-start: preparing");
            }
            assertThat(log).doesNotContain("starting without an archive");
        }
        assertThat(prepared.resolve("app.jsa")).as("the CDS archive").isRegularFile();
        assertThat(prepared.resolve("shop-payments-1.0.jar"))
                .as("the extracted jar")
                .isRegularFile();
        assertThat(Files.readString(prepared.resolve("training.log")))
                .as("the training start did not crash")
                .doesNotContain("A fatal error");
    }
}
