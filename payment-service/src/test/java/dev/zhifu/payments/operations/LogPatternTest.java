package dev.zhifu.payments.operations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** The console line as application.properties sets it up: a trace bracket inside a trace only. */
@ExtendWith(OutputCaptureExtension.class)
class LogPatternTest {

    @Configuration(proxyBeanMethods = false)
    static class Nothing {}

    @Test
    void aLineOutsideATraceHasNoEmptyBracketAndOneInsideNamesIt(CapturedOutput output) {
        SpringApplication app = new SpringApplication(Nothing.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = app.run()) {
            org.slf4j.Logger log = LoggerFactory.getLogger(LogPatternTest.class);
            log.warn("outside any trace");
            MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
            MDC.put("spanId", "00f067aa0ba902b7");
            try {
                log.warn("inside a trace");
            } finally {
                MDC.remove("traceId");
                MDC.remove("spanId");
            }
        }
        String outside = output.getOut()
                .lines()
                .filter(l -> l.endsWith("outside any trace"))
                .findFirst()
                .orElseThrow();
        String inside = output.getOut()
                .lines()
                .filter(l -> l.endsWith("inside a trace"))
                .findFirst()
                .orElseThrow();
        assertThat(outside)
                .matches(".* WARN \\d+ --- \\[payment-service\\] \\[ *main\\] d\\.z\\.payments\\."
                        + "operations\\.LogPatternTest +: outside any trace");
        assertThat(inside)
                .contains(" main] [4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7] d.z.payments.operations.");
    }
}
