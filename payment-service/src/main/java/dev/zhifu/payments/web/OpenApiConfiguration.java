package dev.zhifu.payments.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI paymentServiceApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("payment-service")
                        .version("v1")
                        .description("Take payments through Alipay: page, wap, app, qr and barcode. "
                                + "Amounts are decimal strings in yuan; errors are application/problem+json with a "
                                + "stable `code`. In demo mode the API key is printed at start-up (and kept in "
                                + "data/demo-keys/demo_api_key.txt): press Authorize and paste it."))
                .components(new Components()
                        .addSecuritySchemes(
                                "apiKey",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("Authorization: Bearer <api key> (payments.api-keys)")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }

    /** The order a merchant meets the API in: a payment first, its refunds, the events, reconciliation last. */
    static final List<String> TAG_ORDER = List.of("Payments", "Refunds", "Events", "Reconciliation");

    private static final Pattern CODE = Pattern.compile("\\b[a-z]+(?:_[a-z0-9]+)+\\b");

    /**
     * Puts the tags (and their paths) in {@link #TAG_ORDER}, and gives every documented error answer its
     * {@code application/problem+json} body with an example per {@code code} the description names, where the
     * page showed an empty example before.
     */
    @Bean
    OpenApiCustomizer tagOrderAndProblemExamples() {
        return openApi -> {
            orderTags(openApi);
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getComponents().addSchemas("Problem", problemSchema());
            openApi.getPaths()
                    .forEach((path, item) -> item.readOperations().forEach(operation -> {
                        if (operation.getResponses() != null) {
                            operation
                                    .getResponses()
                                    .forEach((status, response) -> addProblemExamples(path, status, response));
                        }
                    }));
        };
    }

    private static void orderTags(OpenAPI openApi) {
        Comparator<String> byOrder = Comparator.comparingInt(name -> {
            int i = TAG_ORDER.indexOf(name);
            return i < 0 ? TAG_ORDER.size() : i;
        });
        List<Tag> tags = new ArrayList<>(openApi.getTags() == null ? List.of() : openApi.getTags());
        for (String name : TAG_ORDER) {
            if (tags.stream().noneMatch(t -> name.equals(t.getName()))) {
                tags.add(new Tag().name(name));
            }
        }
        tags.sort(Comparator.comparing(Tag::getName, byOrder));
        openApi.setTags(tags);
        if (openApi.getPaths() != null) {
            List<Map.Entry<String, PathItem>> paths =
                    new ArrayList<>(openApi.getPaths().entrySet());
            paths.sort(Comparator.comparing(e -> firstTag(e.getValue()), byOrder)); // stable: same tag keeps its order
            Paths sorted = new Paths();
            paths.forEach(e -> sorted.addPathItem(e.getKey(), e.getValue()));
            sorted.setExtensions(openApi.getPaths().getExtensions());
            openApi.setPaths(sorted);
        }
    }

    private static String firstTag(PathItem item) {
        return item.readOperations().stream()
                .map(Operation::getTags)
                .filter(t -> t != null && !t.isEmpty())
                .map(t -> t.get(0))
                .findFirst()
                .orElse("");
    }

    private static void addProblemExamples(String path, String status, ApiResponse response) {
        int code;
        try {
            code = Integer.parseInt(status);
        } catch (NumberFormatException notANumber) {
            return;
        }
        if (code < 400
                || response.getContent() != null
                        && !response.getContent().isEmpty()
                        && response.getContent().values().stream()
                                .anyMatch(m -> m.getExample() != null
                                        || m.getExamples() != null
                                                && !m.getExamples().isEmpty())) {
            return;
        }
        HttpStatus http = HttpStatus.resolve(code);
        String title = http == null ? "Error" : http.getReasonPhrase();
        Map<String, Example> examples = new LinkedHashMap<>();
        Matcher codes = CODE.matcher(response.getDescription() == null ? "" : response.getDescription());
        while (codes.find()) {
            examples.put(codes.group(), new Example().value(problem(code, title, codes.group(), path)));
        }
        if (examples.isEmpty()) {
            String fallback = title.toLowerCase(java.util.Locale.ROOT).replace(' ', '_');
            examples.put(fallback, new Example().value(problem(code, title, fallback, path)));
        }
        response.setContent(new Content()
                .addMediaType(
                        "application/problem+json",
                        new MediaType()
                                .schema(new Schema<>().$ref("#/components/schemas/Problem"))
                                .examples(examples)));
    }

    private static Map<String, Object> problem(int status, String title, String code, String path) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://zhifu.dev/problems/" + code.replace('_', '-'));
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", "what went wrong, in words (code " + code + ")");
        problem.put("instance", path);
        problem.put("code", code);
        return problem;
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem details; `code` is stable, for programs")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("code", new StringSchema());
    }
}
