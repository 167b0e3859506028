package dev.zhifu.payments.operations;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Arrays;
import java.util.Iterator;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Right after Spring Boot has set logging up (plain or structured, console or file), puts {@link LogRedaction}
 * in front of every appender's encoder, and registers the configured secrets. Registered in
 * {@code META-INF/spring.factories}, so it runs before any bean exists (and again whenever logging is set up anew).
 */
public class LogRedactionInstaller implements SmartApplicationListener, Ordered {

    @Override
    public boolean supportsEventType(Class<? extends ApplicationEvent> type) {
        return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type);
    }

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        Environment env = ((ApplicationEnvironmentPreparedEvent) event).getEnvironment();
        String keys = env.getProperty("payments.api-keys");
        if (keys != null) {
            LogRedaction.secrets(Arrays.asList(keys.split(",")));
        }
        LogRedaction.secret(env.getProperty("payments.webhook-secret"));
        install();
    }

    /** Wraps the encoder of every appender attached to any logger; safe to call again. */
    @SuppressWarnings("unchecked")
    public static void install() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another logging backend: nothing of ours to wrap
        }
        for (Logger logger : context.getLoggerList()) {
            for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
                    Encoder<ILoggingEvent> encoder = appender.getEncoder();
                    if (encoder != null && !(encoder instanceof RedactingEncoder)) {
                        RedactingEncoder redacting = new RedactingEncoder(encoder);
                        redacting.setContext(context);
                        redacting.start();
                        appender.setEncoder(redacting);
                    }
                }
            }
        }
    }
}
