package dev.zhifu.payments.testing;

import dev.zhifu.payments.storage.Ids;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;

/** Points the context at a fresh schema / database (and data directory) of the database its annotation names. */
public class DatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestDatabase db = TestDatabase.valueOf(
                context.getEnvironment().getProperty("test.database", "h2").toUpperCase(Locale.ROOT));
        String name = "t_" + Ids.random(10);
        String dataDir = Path.of("target", "test-data", name).toAbsolutePath().toString();
        Map<String, Object> properties = db.create(name, dataDir);
        properties = new java.util.LinkedHashMap<>(properties);
        properties.put("payments.data-dir", dataDir);
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test-database", properties));
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                db.drop(name);
            }
        });
    }
}
