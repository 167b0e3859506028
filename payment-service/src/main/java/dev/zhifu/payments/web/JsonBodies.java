package dev.zhifu.payments.web;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.type.LogicalType;

/**
 * Request bodies are read as written: a JSON value of the wrong type is a clear 400, never a guess. Jackson
 * would otherwise cut {@code "expire_minutes": 1.5} to 1, read {@code "10"} as 10 and {@code 5} as the amount
 * {@code "5"}; amounts are decimal strings (docs/rest-api.md#conventions), numbers are numbers.
 */
@Configuration(proxyBeanMethods = false)
public class JsonBodies {

    @Bean
    JsonMapperBuilderCustomizer strictScalars() {
        return builder -> builder.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfig(
                        LogicalType.Textual,
                        c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(
                        LogicalType.Integer,
                        c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(
                        LogicalType.Boolean,
                        c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail));
    }

    /**
     * Why a body could not be read, in the API's words: the field by its JSON name and what it takes, without
     * Jackson's Java type names; null when the failure is not Jackson's.
     */
    static String reason(Throwable failure) {
        if (failure instanceof UnrecognizedPropertyException unknown) {
            return path(unknown) + ": unknown field";
        }
        if (failure instanceof MismatchedInputException mismatch) {
            String path = path(mismatch);
            return path.isEmpty()
                    ? "expected a JSON object"
                    : path + ": expected " + expected(mismatch.getTargetType(), path);
        }
        if (failure instanceof JacksonException jackson) {
            // a syntax error reads well as it is; a message quoting a Java type (`…`) does not
            String original = jackson.getOriginalMessage();
            return original == null || original.contains("`") ? "it does not fit this call" : original;
        }
        return null;
    }

    private static String path(JacksonException e) {
        StringBuilder s = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                s.append(s.isEmpty() ? "" : ".").append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                s.append('[').append(r.getIndex()).append(']');
            }
        }
        return s.toString();
    }

    private static String expected(Class<?> type, String path) {
        if (type == null) {
            return "a value of another type";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return path.endsWith("amount") ? "a decimal string such as \"9.90\"" : "a string";
        }
        if (List.of(Integer.class, int.class, Long.class, long.class, Short.class, short.class)
                .contains(type)) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of "
                    + String.join(
                            ", ",
                            java.util.Arrays.stream(type.getEnumConstants())
                                    .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT))
                                    .toList());
        }
        if (Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "a value of another type";
    }
}
