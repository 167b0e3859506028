package dev.zhifu.payments.settings;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Refuses to start when a setting under {@code alipay.*} or {@code payments.*}, from any source (arguments,
 * system properties, environment variables, configuration files), is not one the service reads: a misspelt
 * {@code --alipay.gateway-ur=…} would otherwise be ignored and the service would run as a demo. Each problem
 * names the setting, where it came from and the nearest real name ({@link SettingNames}). Runs once the
 * environment is complete and logging is set up, before anything opens; {@code doctor} runs it too.
 * Registered in {@code META-INF/spring.factories}.
 */
public class UnknownSettingsCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        List<String> problems = problems(event.getEnvironment(), SettingNames.ofService());
        if (!problems.isEmpty()) {
            throw new UnknownSettings(problems);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the configuration files are read and logging is initialised
    }

    static List<String> problems(ConfigurableEnvironment environment, SettingNames names) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)
                    || ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
                continue;
            }
            boolean variables = source instanceof SystemEnvironmentPropertySource;
            for (String name : enumerable.getPropertyNames()) {
                if (!inNamespace(name, variables) || !seen.add(name)) {
                    continue;
                }
                if (variables && !names.knowsEnvironmentVariable(name)) {
                    problems.add(name + " (environment variable): did you mean "
                            + names.closestEnvironmentVariable(name) + "?");
                } else if (!variables && !names.knows(name)) {
                    problems.add(name + " (" + where(source, name) + "): did you mean " + names.closest(name) + "?");
                }
            }
        }
        return problems;
    }

    private static boolean inNamespace(String name, boolean variable) {
        String lower = name.toLowerCase(Locale.ROOT);
        char separator = variable ? '_' : '.';
        return SettingNames.NAMESPACES.stream().anyMatch(ns -> lower.startsWith(ns + separator)
                || variable && lower.startsWith(ns + "."));
    }

    private static String where(PropertySource<?> source, String name) {
        if (source instanceof CommandLinePropertySource<?>) {
            return "command line";
        }
        if (StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(source.getName())) {
            return "system property";
        }
        Origin origin = OriginLookup.getOrigin(source, name);
        return origin != null ? origin.toString() : source.getName();
    }
}
