package dev.zhifu.payments.config;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.ApplicationContextFactory;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.core.ResolvableType;

/**
 * The bean factory, with lookups by generic type remembered once the bean definitions are frozen, as Spring
 * already does for lookups by plain class.
 * <p>
 * Why: Spring Security builds each of the four filter chains from a fresh {@code HttpSecurity} and, for each of
 * its ~30 methods that take a {@code Customizer}, asks the factory for {@code Customizer<…>} beans by generic
 * type; Spring answers those by testing every bean definition (~900 here) afresh, uncached. It was 6 % of a
 * second start's main thread (BENCHMARKS.md, "Start-up"); the same 30 questions asked four times are answered
 * once, and so are the generic lookups of {@code ObjectProvider}s elsewhere.
 * <p>
 * Remembered on the terms Spring remembers lookups by class: only after {@link #freezeConfiguration()} (no
 * definition is added or removed after it), only for lookups that may initialise factory beans to learn their
 * types ({@code allowEagerInit}), and forgotten when a singleton is registered or the metadata cache cleared.
 * Only types without unresolvable generics, keyed by the type's full name.
 */
public final class GenericTypeLookups extends DefaultListableBeanFactory {

    /** The servlet web context of a {@code java -jar} start, on this factory. */
    public static ApplicationContextFactory servletContexts() {
        return ApplicationContextFactory.of(
                () -> new AnnotationConfigServletWebServerApplicationContext(new GenericTypeLookups()));
    }

    private record Key(String type, boolean includeNonSingletons, boolean allowEagerInit) {}

    private final Map<Key, String[]> namesByType = new ConcurrentHashMap<>();

    @Override
    public String[] getBeanNamesForType(ResolvableType type, boolean includeNonSingletons, boolean allowEagerInit) {
        if (!isConfigurationFrozen() || !allowEagerInit || !type.hasGenerics() || type.hasUnresolvableGenerics()) {
            return super.getBeanNamesForType(type, includeNonSingletons, allowEagerInit);
        }
        Key key = new Key(type.toString(), includeNonSingletons, allowEagerInit);
        String[] names = namesByType.get(key);
        if (names == null) {
            // not computeIfAbsent: the lookup can create beans that look up types of their own
            names = super.getBeanNamesForType(type, includeNonSingletons, allowEagerInit);
            namesByType.put(key, names);
        }
        return names.clone();
    }

    /** How many answers are remembered now. */
    int remembered() {
        return namesByType.size();
    }

    @Override
    public void registerSingleton(String beanName, Object singletonObject) {
        super.registerSingleton(beanName, singletonObject);
        namesByType.clear();
    }

    @Override
    public void registerBeanDefinition(String beanName, BeanDefinition beanDefinition) {
        super.registerBeanDefinition(beanName, beanDefinition);
        namesByType.clear();
    }

    @Override
    public void removeBeanDefinition(String beanName) {
        super.removeBeanDefinition(beanName);
        namesByType.clear();
    }

    @Override
    public void clearMetadataCache() {
        super.clearMetadataCache();
        namesByType.clear();
    }

    @Override
    public void destroySingletons() {
        super.destroySingletons();
        namesByType.clear();
    }
}
