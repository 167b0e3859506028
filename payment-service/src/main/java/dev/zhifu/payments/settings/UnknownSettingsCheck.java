package dev.zhifu.payments.settings;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Refuses to start when a setting under {@code alipay.*}, {@code payments.*} or {@code wechatpay.*}, from any source (arguments,
 * system properties, environment variables, configuration files), is not one the service reads: a misspelt
 * {@code --alipay.gateway-ur=…} would otherwise be ignored and the service would run as a demo. Each problem
 * names the setting, where it came from and the nearest real name ({@link SettingNames}). Runs once the bean
 * definitions are known and before any bean is made (nothing is opened yet); {@code doctor} runs
 * {@link #problems} itself.
 */
@Configuration(proxyBeanMethods = false)
public class UnknownSettingsCheck {

    /** Static: a post-processor must not make its configuration class an early bean. */
    @Bean
    static BeanFactoryPostProcessor refuseUnknownSettings(Environment environment) {
        return beanFactory -> {
            List<String> problems = problems((ConfigurableEnvironment) environment, SettingNames.of(beanFactory));
            if (!problems.isEmpty()) {
                throw new UnknownSettings(problems);
            }
        };
    }

    /** One line per setting that {@code names} does not know, in the order of the sources' precedence. */
    public static List<String> problems(ConfigurableEnvironment environment, SettingNames names) {
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
        return SettingNames.NAMESPACES.stream()
                .anyMatch(ns -> lower.startsWith(ns + separator) || variable && lower.startsWith(ns + "."));
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
