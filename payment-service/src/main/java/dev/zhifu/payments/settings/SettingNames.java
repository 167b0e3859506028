package dev.zhifu.payments.settings;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.MethodMetadata;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.core.type.classreading.SimpleMetadataReaderFactory;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The settings the service reads under {@code alipay.*}, {@code payments.*} and {@code wechatpay.*}: the names its
 * {@code @ConfigurationProperties} types bind, and the few read through placeholders alone, declared with Spring
 * Boot's metadata format in
 * {@code META-INF/additional-spring-configuration-metadata.json}. Names match as Spring's relaxed binding does
 * ({@code gateway-url}, {@code gatewayUrl}, {@code GATEWAY_URL}); below a map any key is a setting.
 * <p>
 * The types come from the running context's bean definitions ({@link #of(ConfigurableListableBeanFactory)}: a
 * {@code @ConfigurationProperties} class however registered, or a {@code @Bean} method so annotated), which
 * costs nothing at start-up; {@code doctor}, which starts no service context, finds them in the service's
 * classes instead ({@link #ofService()}: types so annotated, named by {@code @EnableConfigurationProperties},
 * or returned by such a {@code @Bean} method).
 */
public final class SettingNames {

    /** The prefixes the service owns: every setting below them must be one it reads. */
    public static final List<String> NAMESPACES = List.of("alipay", "payments", "wechatpay");

    static final String DECLARED = "META-INF/additional-spring-configuration-metadata.json";

    private static volatile SettingNames service;

    /** Dashed names of single settings, e.g. {@code payments.api-keys}. */
    private final Set<String> leaves = new TreeSet<>();
    /** Dashed names of maps: any name below one is a setting, e.g. {@code payments.merchants}. */
    private final Set<String> maps = new TreeSet<>();

    private final Set<String> uniformLeaves = new HashSet<>();
    private final Set<String> squashedLeaves = new HashSet<>();

    private SettingNames() {}

    /** The service's names, read once per class loader's lifetime (the classes do not change while it runs). */
    public static SettingNames ofService() {
        SettingNames names = service;
        if (names == null) {
            ClassLoader loader = SettingNames.class.getClassLoader();
            String base = SettingNames.class.getPackageName();
            base = base.substring(0, base.lastIndexOf('.')); // dev.zhifu.payments: every feature package
            names = new SettingNames();
            for (Map.Entry<Class<?>, String> binding : bindings(base, loader).entrySet()) {
                names.addType(binding.getValue(), binding.getKey(), new HashSet<>());
            }
            names.declared(loader).forEach(names::addLeaf);
            service = names;
        }
        return names;
    }

    /** The names the context's bean definitions bind (before any bean exists), and the declared ones. */
    public static SettingNames of(ConfigurableListableBeanFactory beanFactory) {
        ClassLoader loader = beanFactory.getBeanClassLoader() != null
                ? beanFactory.getBeanClassLoader()
                : SettingNames.class.getClassLoader();
        String properties = ConfigurationProperties.class.getName();
        SettingNames names = new SettingNames();
        for (String bean : beanFactory.getBeanDefinitionNames()) {
            BeanDefinition definition = beanFactory.getBeanDefinition(bean);
            MethodMetadata factoryMethod = definition instanceof AnnotatedBeanDefinition annotated
                    ? annotated.getFactoryMethodMetadata()
                    : null;
            if (factoryMethod != null) {
                if (factoryMethod.isAnnotated(properties)) {
                    names.addBinding(
                            prefix(factoryMethod.getAnnotationAttributes(properties)),
                            factoryMethod.getReturnTypeName(),
                            loader);
                }
            } else if (definition.getBeanClassName() != null) {
                Class<?> type;
                try {
                    type = ClassUtils.forName(definition.getBeanClassName(), loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    continue; // the context will say what is wrong with it
                }
                MergedAnnotation<ConfigurationProperties> annotation =
                        MergedAnnotations.from(type).get(ConfigurationProperties.class);
                if (annotation.isPresent()) {
                    names.addBinding(prefix(annotation.asMap()), type);
                }
            }
        }
        names.declared(loader).forEach(names::addLeaf);
        return names;
    }

    private void addBinding(String prefix, String className, ClassLoader loader) {
        if (inNamespace(prefix)) {
            addBinding(prefix, load(className, loader));
        }
    }

    private void addBinding(String prefix, Class<?> type) {
        if (inNamespace(prefix)) {
            addType(prefix, type, new HashSet<>());
        }
    }

    private static boolean inNamespace(String prefix) {
        return NAMESPACES.stream().anyMatch(ns -> prefix.equals(ns) || prefix.startsWith(ns + "."));
    }

    /** Names of the given bindings (type to prefix) and declared names; for tests. */
    static SettingNames of(Map<Class<?>, String> bindings, Collection<String> declared) {
        SettingNames names = new SettingNames();
        bindings.forEach((type, prefix) -> names.addType(prefix, type, new HashSet<>()));
        declared.forEach(names::addLeaf);
        return names;
    }

    public Set<String> leaves() {
        return Collections.unmodifiableSet(leaves);
    }

    public Set<String> maps() {
        return Collections.unmodifiableSet(maps);
    }

    /** Whether a property name (dotted, any relaxed spelling, list indexes allowed) is one of the settings. */
    public boolean knows(String propertyName) {
        List<String> elements = uniformElements(propertyName);
        if (elements == null) {
            return false;
        }
        if (uniformLeaves.contains(String.join(".", elements))) {
            return true;
        }
        for (String map : maps) {
            List<String> prefix = uniformElements(map);
            if (elements.size() > prefix.size()
                    && elements.subList(0, prefix.size()).equals(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an environment variable names one of the settings. As in Spring Boot, {@code _} stands for both
     * {@code .} and {@code -}, and a part made of digits is a list index.
     */
    public boolean knowsEnvironmentVariable(String variable) {
        String squashed = squashEnvironmentVariable(variable);
        if (squashedLeaves.contains(squashed)) {
            return true;
        }
        return maps.stream()
                .map(SettingNames::squash)
                .anyMatch(map -> squashed.length() > map.length() && squashed.startsWith(map));
    }

    /** The setting whose name is nearest to a property name that is not one. */
    public String closest(String propertyName) {
        return Spelling.closest(propertyName.toLowerCase(Locale.ROOT), all());
    }

    /** The nearest setting to an environment variable that is not one, as a variable. */
    public String closestEnvironmentVariable(String variable) {
        Map<String, String> byVariable = new LinkedHashMap<>();
        all().forEach(name -> byVariable.put(environmentVariable(name), name));
        String closest = Spelling.closest(variable.toUpperCase(Locale.ROOT), byVariable.keySet());
        return closest == null ? null : closest + " (" + byVariable.get(closest) + ")";
    }

    private List<String> all() {
        List<String> all = new ArrayList<>(leaves);
        all.addAll(maps);
        return all;
    }

    static String environmentVariable(String name) {
        return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private void addLeaf(String name) {
        leaves.add(name);
        uniformLeaves.add(String.join(".", uniformElements(name)));
        squashedLeaves.add(squash(name));
    }

    private void addType(String prefix, Class<?> type, Set<Class<?>> path) {
        if (!path.add(type)) {
            return; // a type that contains itself: its names are already there
        }
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            Parameter[] parameters = canonicalParameters(type, components);
            for (int i = 0; i < components.length; i++) {
                Name renamed = parameters == null ? null : parameters[i].getAnnotation(Name.class);
                String name = renamed != null ? renamed.value() : dashed(components[i].getName());
                addProperty(prefix + "." + name, components[i].getGenericType(), path);
            }
        } else {
            for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
                if (property.getName().equals("class")) {
                    continue;
                }
                Type propertyType = property.getWriteMethod() != null
                        ? property.getWriteMethod().getGenericParameterTypes()[0]
                        : property.getReadMethod() != null
                                ? property.getReadMethod().getGenericReturnType()
                                : null;
                boolean settable = property.getWriteMethod() != null
                        || propertyType != null && isNested(ClassUtils.resolvePrimitiveIfNecessary(raw(propertyType)));
                if (settable) {
                    addProperty(prefix + "." + dashed(property.getName()), propertyType, path);
                }
            }
        }
        path.remove(type);
    }

    private void addProperty(String name, Type type, Set<Class<?>> path) {
        Class<?> raw = raw(type);
        if (Map.class.isAssignableFrom(raw) || java.util.Properties.class.isAssignableFrom(raw)) {
            maps.add(name);
        } else if (Optional.class.equals(raw) || Collection.class.isAssignableFrom(raw) || raw.isArray()) {
            Type element = elementType(type);
            Class<?> elementClass = raw(element);
            if (isNested(elementClass)) {
                addType(name, elementClass, path); // list[0].field: the index is not part of the name
            } else {
                addLeaf(name);
            }
        } else if (isNested(raw)) {
            addType(name, raw, path);
        } else {
            addLeaf(name);
        }
    }

    /** A type bound field by field rather than converted from one value: records and the service's own classes. */
    private static boolean isNested(Class<?> type) {
        return !type.isEnum()
                && !type.isPrimitive()
                && !type.isArray()
                && !type.isInterface()
                && (type.isRecord() || type.getPackageName().startsWith("dev.zhifu."));
    }

    private static Parameter[] canonicalParameters(Class<?> type, RecordComponent[] components) {
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return canonical.getParameters();
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return raw(p.getRawType());
        }
        if (type instanceof GenericArrayType a) {
            return raw(a.getGenericComponentType()).arrayType();
        }
        return Object.class; // a type variable or wildcard: bound as a plain value
    }

    private static Type elementType(Type type) {
        if (type instanceof Class<?> c && c.isArray()) {
            return c.getComponentType();
        }
        if (type instanceof GenericArrayType a) {
            return a.getGenericComponentType();
        }
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length == 1) {
            return p.getActualTypeArguments()[0];
        }
        return Object.class;
    }

    static String dashed(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    out.append('-');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The name's elements in Spring's uniform form (lower case, letters and digits), list indexes left out. */
    private static List<String> uniformElements(String propertyName) {
        ConfigurationPropertyName name;
        try {
            name = ConfigurationPropertyName.adapt(propertyName, '.');
        } catch (RuntimeException e) {
            return null;
        }
        List<String> elements = new ArrayList<>(name.getNumberOfElements());
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            if (!name.isNumericIndex(i)) {
                elements.add(name.getElement(i, ConfigurationPropertyName.Form.UNIFORM));
            }
        }
        return elements;
    }

    private static String squash(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static String squashEnvironmentVariable(String variable) {
        StringBuilder out = new StringBuilder(variable.length());
        for (String part : variable.split("_")) {
            if (!part.isEmpty() && !part.chars().allMatch(Character::isDigit)) {
                out.append(squash(part));
            }
        }
        return out.toString();
    }

    /** The {@code @ConfigurationProperties} types the service's classes bind, with their prefixes. */
    static Map<Class<?>, String> bindings(String basePackage, ClassLoader loader) {
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(loader);
        MetadataReaderFactory readers = new SimpleMetadataReaderFactory(resolver);
        Map<Class<?>, String> bindings = new LinkedHashMap<>();
        String properties = ConfigurationProperties.class.getName();
        try {
            for (Resource resource :
                    resolver.getResources("classpath*:" + basePackage.replace('.', '/') + "/**/*.class")) {
                AnnotationMetadata metadata =
                        readers.getMetadataReader(resource).getAnnotationMetadata();
                if (metadata.hasAnnotation(properties)) {
                    bindings.put(
                            load(metadata.getClassName(), loader),
                            prefix(metadata.getAnnotationAttributes(properties)));
                }
                Map<String, Object> enabled =
                        metadata.getAnnotationAttributes(EnableConfigurationProperties.class.getName(), true);
                if (enabled != null) {
                    for (String className : (String[]) enabled.get("value")) {
                        Class<?> type = load(className, loader);
                        MergedAnnotation<ConfigurationProperties> annotation =
                                MergedAnnotations.from(type).get(ConfigurationProperties.class);
                        if (annotation.isPresent()) {
                            bindings.put(type, prefix(annotation.asMap()));
                        }
                    }
                }
                for (MethodMetadata method : metadata.getAnnotatedMethods(properties)) {
                    bindings.put(
                            load(method.getReturnTypeName(), loader),
                            prefix(method.getAnnotationAttributes(properties)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service's classes", e);
        }
        return bindings;
    }

    private static String prefix(Map<String, Object> attributes) {
        String prefix = (String) attributes.get("prefix");
        return prefix == null || prefix.isEmpty() ? (String) attributes.get("value") : prefix;
    }

    private static Class<?> load(String className, ClassLoader loader) {
        try {
            return ClassUtils.forName(className, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("cannot load " + className + ", a settings class of the service", e);
        }
    }

    /** Names read through placeholders alone ({@code ${alipay.key-reload-interval:30s}}), as the metadata declares. */
    private List<String> declared(ClassLoader loader) {
        List<String> names = new ArrayList<>();
        JsonMapper json = JsonMapper.builder().build();
        try {
            for (URL url : Collections.list(loader.getResources(DECLARED))) {
                try (InputStream in = url.openStream()) {
                    for (JsonNode property : json.readTree(in).path("properties")) {
                        String name = property.path("name").asString();
                        if (NAMESPACES.stream().anyMatch(ns -> name.startsWith(ns + "."))) {
                            names.add(name);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DECLARED, e);
        }
        return names;
    }
}
