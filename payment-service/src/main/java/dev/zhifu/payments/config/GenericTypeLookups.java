package dev.zhifu.payments.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
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
 * Only types made of classes all the way down ({@link #concrete}), keyed by the type's full name.
 */
public final class GenericTypeLookups extends DefaultListableBeanFactory {

    /** The servlet web context of a {@code java -jar} start, on this factory. */
    public static ApplicationContextFactory servletContexts() {
        return ApplicationContextFactory.of(
                () -> new AnnotationConfigServletWebServerApplicationContext(new GenericTypeLookups()));
    }

    private record Key(String type, boolean includeNonSingletons) {}

    private final Map<Key, String[]> namesByType = new ConcurrentHashMap<>();

    @Override
    public String[] getBeanNamesForType(ResolvableType type, boolean includeNonSingletons, boolean allowEagerInit) {
        if (!isConfigurationFrozen() || !allowEagerInit || !type.hasGenerics() || !concrete(type)) {
            return super.getBeanNamesForType(type, includeNonSingletons, allowEagerInit);
        }
        Key key = new Key(type.toString(), includeNonSingletons); // eager lookups only, see above
        String[] names = namesByType.get(key);
        if (names == null) {
            // not computeIfAbsent: the lookup can create beans that look up types of their own
            names = super.getBeanNamesForType(type, includeNonSingletons, allowEagerInit);
            namesByType.put(key, names);
        }
        return names.clone();
    }

    /**
     * Whether {@code type} is classes all the way down: no wildcard, type variable or generic array anywhere in
     * it, and no parameterized owner of an inner class, so that its full name ({@code toString}) says all that
     * matching depends on ({@code Consumer<? extends Number>} prints as {@code Consumer<Number>}, for one).
     */
    static boolean concrete(ResolvableType type) {
        Type reflected = type.getType();
        if (reflected instanceof ParameterizedType parameterized) {
            if (parameterized.getOwnerType() instanceof ParameterizedType) {
                return false;
            }
        } else if (!(reflected instanceof Class<?> plain) || plain.isArray()) {
            return false;
        }
        for (ResolvableType generic : type.getGenerics()) {
            if (!concrete(generic)) {
                return false;
            }
        }
        return true;
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
