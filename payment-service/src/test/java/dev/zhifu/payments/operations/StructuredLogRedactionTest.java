package dev.zhifu.payments.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README promises redaction "whatever the format": with Spring Boot's structured JSON logging the encoder is
 * a different class, so this starts Spring Boot's real logging set-up in each JSON format and reads the lines
 * back as JSON.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogRedactionTest {

    private static final String API_KEY = "sk_live_StructuredLogs9c2e41d8b6";
    private static final String SIGN = "Qm7".repeat(114) + "w==";

    @Configuration(proxyBeanMethods = false)
    static class Nothing {}

    @AfterAll
    static void plainLogsAgain() {
        // logging is set up per JVM: hand the test classes after this one the plain format back
        forgetStructuredFormat();
        new SpringApplicationBuilder(Nothing.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off")
                .run()
                .close();
    }

    /** Spring Boot keeps the format in a system property that it only sets when absent. */
    private static void forgetStructuredFormat() {
        System.getProperties().stringPropertyNames().stream()
                .filter(n -> n.endsWith("STRUCTURED_FORMAT"))
                .forEach(System::clearProperty);
    }

    @Test
    void jsonLogLinesAreRedactedInEveryStructuredFormat(CapturedOutput output) {
        JsonMapper json = JsonMapper.builder().build();
        Map<String, String> fieldOfFormat = Map.of("ecs", "ecs", "logstash", "@version", "gelf", "short_message");
        for (String format : List.of("ecs", "logstash", "gelf")) {
            forgetStructuredFormat();
            int from = output.getOut().length();
            try (ConfigurableApplicationContext ignored = new SpringApplicationBuilder(Nothing.class)
                    .web(WebApplicationType.NONE)
                    .properties(
                            "logging.structured.format.console=" + format,
                            "payments.api-keys=" + API_KEY,
                            "spring.main.banner-mode=off")
                    .run()) {
                LoggerFactory.getLogger("dev.zhifu.test")
                        .warn(
                                "Notification body charset=utf-8&sign={}&notify_id=n1," + " caller Bearer {}",
                                SIGN,
                                API_KEY,
                                new IllegalStateException("refused sign=" + SIGN));
            }
            String written = output.getOut().substring(from);
            List<JsonNode> lines = written.lines()
                    .filter(l -> !l.isBlank())
                    .map(json::readTree)
                    .toList();
            JsonNode ours = lines.stream()
                    .filter(l -> l.toString().contains("Notification body"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(format + ": our line is not among\n" + written));
            assertThat(ours.has(fieldOfFormat.get(format)))
                    .as(format + ": written in that format: " + ours)
                    .isTrue();
            assertThat(ours.toString())
                    .as(format)
                    .contains("sign=[REDACTED]")
                    .contains("Bearer [REDACTED]")
                    .contains("refused sign=[REDACTED]");
            assertThat(written).as(format).doesNotContain(API_KEY).doesNotContain(SIGN.substring(0, 60));
        }
    }
}
