package dev.zhifu.payments.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.ResolvableType;

class GenericTypeLookupsTest {

    static final ResolvableType CONSUMER_OF_STRING = ResolvableType.forClassWithGenerics(Consumer.class, String.class);
    static final ResolvableType CONSUMER_OF_LONG = ResolvableType.forClassWithGenerics(Consumer.class, Long.class);
    static final ResolvableType SUPPLIER_OF_LIST = ResolvableType.forClassWithGenerics(
            Supplier.class, ResolvableType.forClassWithGenerics(List.class, String.class));

    /** Prints as {@code Consumer<java.lang.Number>}, yet matches a {@code Consumer<Long>} that that does not. */
    static final ResolvableType EXTENDS_NUMBER =
            ResolvableType.forType(new ParameterizedTypeReference<Consumer<? extends Number>>() {});

    private static void define(DefaultListableBeanFactory factory) {
        RootBeanDefinition strings = new RootBeanDefinition(Consumer.class, () -> (Consumer<String>) s -> {});
        strings.setTargetType(CONSUMER_OF_STRING);
        factory.registerBeanDefinition("strings", strings);
        RootBeanDefinition longs = new RootBeanDefinition(Consumer.class, () -> (Consumer<Long>) l -> {});
        longs.setTargetType(CONSUMER_OF_LONG);
        factory.registerBeanDefinition("longs", longs);
        RootBeanDefinition lists = new RootBeanDefinition(Supplier.class, () -> (Supplier<List<String>>) List::of);
        lists.setTargetType(SUPPLIER_OF_LIST);
        factory.registerBeanDefinition("lists", lists);
    }

    /** The three definitions, frozen as Spring freezes them before it creates the singletons. */
    private static GenericTypeLookups frozen() {
        GenericTypeLookups factory = new GenericTypeLookups();
        define(factory);
        factory.freezeConfiguration();
        return factory;
    }

    @Test
    void answersAsSpringDoesForEveryKindOfLookup() {
        DefaultListableBeanFactory plain = new DefaultListableBeanFactory();
        GenericTypeLookups remembering = new GenericTypeLookups();
        define(plain);
        define(remembering);
        plain.freezeConfiguration();
        remembering.freezeConfiguration();
        for (ResolvableType type : List.of(
                CONSUMER_OF_STRING,
                CONSUMER_OF_LONG,
                SUPPLIER_OF_LIST,
                ResolvableType.forClass(Consumer.class),
                EXTENDS_NUMBER,
                ResolvableType.forClassWithGenerics(Consumer.class, Integer.class))) {
            for (boolean nonSingletons : new boolean[] {true, false}) {
                for (boolean eager : new boolean[] {true, false}) {
                    String[] expected = plain.getBeanNamesForType(type, nonSingletons, eager);
                    assertThat(remembering.getBeanNamesForType(type, nonSingletons, eager))
                            .as(type + " " + nonSingletons + " " + eager)
                            .containsExactly(expected);
                    assertThat(remembering.getBeanNamesForType(type, nonSingletons, eager))
                            .as("asked again")
                            .containsExactly(expected);
                }
            }
        }
        assertThat(remembering.getBeanNamesForType(CONSUMER_OF_STRING, true, true))
                .containsExactly("strings");
    }

    @Test
    void rememberedOnlyOnSpringsOwnTerms() {
        GenericTypeLookups factory = new GenericTypeLookups();
        define(factory);
        factory.getBeanNamesForType(CONSUMER_OF_STRING, true, true);
        assertThat(factory.remembered()).as("definitions not yet frozen").isZero();
        factory.freezeConfiguration();
        factory.getBeanNamesForType(CONSUMER_OF_STRING, true, false);
        factory.getBeanNamesForType(ResolvableType.forClass(String.class), true, true);
        factory.getBeanNamesForType(ResolvableType.forClass(Consumer.class), true, true); // Consumer<T>
        factory.getBeanNamesForType(EXTENDS_NUMBER, true, true);
        assertThat(factory.remembered())
                .as("no eager init, a plain class, an unresolvable generic")
                .isZero();
        factory.getBeanNamesForType(CONSUMER_OF_STRING, true, true);
        factory.getBeanNamesForType(CONSUMER_OF_STRING, true, true);
        factory.getBeanNamesForType(SUPPLIER_OF_LIST, false, true);
        assertThat(factory.remembered()).isEqualTo(2);
        factory.registerSingleton("other", new Object());
        assertThat(factory.remembered())
                .as("forgotten when a singleton is registered")
                .isZero();
    }

    @Test
    void aWildcardIsNotMistakenForTheClassItPrintsAs() {
        GenericTypeLookups factory = frozen();
        ResolvableType number = ResolvableType.forClassWithGenerics(Consumer.class, Number.class);
        assertThat(EXTENDS_NUMBER.toString()).isEqualTo(number.toString());
        assertThat(factory.getBeanNamesForType(number, true, true)).isEmpty();
        assertThat(factory.getBeanNamesForType(EXTENDS_NUMBER, true, true)).containsExactly("longs");
        assertThat(factory.getBeanNamesForType(number, true, true)).isEmpty();
    }

    @Test
    void aSingletonRegisteredLaterIsFound() {
        GenericTypeLookups factory = frozen();
        assertThat(factory.getBeanNamesForType(CONSUMER_OF_STRING, true, true)).containsExactly("strings");
        Consumer<String> late = new Consumer<>() {
            @Override
            public void accept(String s) {}
        };
        factory.registerSingleton("late", late);
        assertThat(factory.getBeanNamesForType(CONSUMER_OF_STRING, true, true)).containsExactly("strings", "late");
    }

    @Test
    void beforeTheDefinitionsAreFrozenNothingIsRemembered() {
        GenericTypeLookups factory = new GenericTypeLookups();
        define(factory);
        assertThat(factory.getBeanNamesForType(CONSUMER_OF_STRING, true, true)).containsExactly("strings");
        RootBeanDefinition more = new RootBeanDefinition(Consumer.class, () -> (Consumer<String>) s -> {});
        more.setTargetType(CONSUMER_OF_STRING);
        factory.registerBeanDefinition("more", more);
        assertThat(factory.getBeanNamesForType(CONSUMER_OF_STRING, true, true)).containsExactly("strings", "more");
    }

    @Test
    void aCallerChangingTheAnswerDoesNotChangeTheNext() {
        GenericTypeLookups factory = frozen();
        factory.getBeanNamesForType(CONSUMER_OF_STRING, true, true)[0] = "changed";
        assertThat(factory.getBeanNamesForType(CONSUMER_OF_STRING, true, true)).containsExactly("strings");
    }
}
