package dev.zhifu.payments.secrets;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Creates the directories that will hold the H2 database and the demo's keys rwx------ ({@link SecretFiles})
 * before anything else can create them with the default permissions: H2 makes a missing database directory
 * itself, readable by every user of the machine, and the database holds the payments and buyers' details.
 * Directories that exist already are left alone. Registered in {@code META-INF/spring.factories}, so it runs
 * before any bean exists.
 */
public class OwnerOnlyDataDirectory implements SmartApplicationListener, Ordered {

    @Override
    public boolean supportsEventType(Class<? extends ApplicationEvent> type) {
        return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files and the environment post-processors
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        for (Path dir : directories(((ApplicationEnvironmentPreparedEvent) event).getEnvironment())) {
            try {
                SecretFiles.createDirectories(dir);
            } catch (IOException | RuntimeException e) {
                // whoever needs the directory (H2, the demo keys) reports it with its own context
            }
        }
    }

    /** {@code payments.data-dir} in demo mode (the demo keys, the sandbox's trades), and an H2 file database's. */
    static Set<Path> directories(Environment env) {
        Set<Path> dirs = new LinkedHashSet<>();
        String gateway = env.getProperty("alipay.gateway-url");
        try {
            if (gateway == null || gateway.isBlank()) {
                dirs.add(Path.of(env.getProperty("payments.data-dir", "./data")));
            }
            Path database = h2File(env.getProperty("spring.datasource.url"));
            if (database != null && database.getParent() != null) {
                dirs.add(database.getParent());
            }
        } catch (InvalidPathException e) {
            // not a path we can make sense of: left to whoever uses it
        }
        return dirs;
    }

    /** The file of an H2 embedded database URL ({@code jdbc:h2:file:./data/payments}, {@code jdbc:h2:~/x}, ...). */
    static Path h2File(String url) {
        if (url == null || !url.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:")) {
            return null;
        }
        String name = url.substring("jdbc:h2:".length());
        int options = name.indexOf(';');
        if (options >= 0) {
            name = name.substring(0, options);
        }
        if (name.startsWith("file:")) {
            name = name.substring("file:".length());
        } else if (name.matches("[a-zA-Z]{2,}:.*")) {
            return null; // mem:, tcp:, ssl:, zip:, … : no directory of ours
        }
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        return name.isEmpty() ? null : Path.of(name);
    }
}
