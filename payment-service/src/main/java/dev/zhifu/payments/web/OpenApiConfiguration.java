package dev.zhifu.payments.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI paymentServiceApi() {
        return new OpenAPI()
                .info(new Info().title("payment-service").version("v1")
                        .description("Take payments through Alipay: page, wap, app, qr and barcode. "
                                + "Amounts are decimal strings in yuan; errors are application/problem+json with a "
                                + "stable `code`. In demo mode the API key is printed at start-up (and kept in "
                                + "data/demo-keys/demo_api_key.txt): press Authorize and paste it."))
                .components(new Components().addSecuritySchemes("apiKey", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("Authorization: Bearer <api key> (payments.api-keys)")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}
