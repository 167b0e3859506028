package dev.zhifu.payments.notifications;

import dev.zhifu.payments.web.RequestBodyConfiguration;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code payments.notify.port}: the Alipay-facing surface on a port of its own. Only {@code /notify/alipay},
 * {@code /notify/wechatpay}, {@code /return/alipay} and the {@code any_qr} page {@code /pay/{id}} (with the pages'
 * stylesheet) answer there (anything else is 404), so the internet-facing port exposes neither the
 * REST API, the admin console, the API docs nor the actuator, which stay on {@code server.port} (and
 * {@code management.server.port} when set) behind the firewall.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("payments.notify.port")
public class AlipayFacingPort {

    static final Set<String> ALIPAY_FACING =
            Set.of("/notify/alipay", "/return/alipay", "/notify/wechatpay", "/css/pages.css");

    /**
     * The page behind an {@code any_qr} code, {@code /pay/{id}} (one segment): the buyer's wallet opens it at
     * {@code payments.public-url}, so it answers on the internet-facing port too, with the pages' stylesheet
     * (docs/payment-channels.md#console).
     */
    static final Pattern BUYER_FACING = Pattern.compile("/pay/[^/]+");

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> alipayFacingConnector(
            NotifyProperties settings, Environment environment) {
        return factory -> {
            Connector connector = new Connector(RequestBodyConfiguration.PROTOCOL);
            connector.setPort(settings.port());
            // Boot applies server.* to its own connector only: this one, the internet-facing one, gets the same
            // address and the same bounds on slow and idle clients
            String address = environment.getProperty("server.address");
            if (address != null && !address.isBlank()) {
                connector.setProperty("address", address.strip());
            }
            copyDuration(environment, "server.tomcat.connection-timeout", connector, "connectionTimeout");
            copyDuration(environment, "server.tomcat.keep-alive-timeout", connector, "keepAliveTimeout");
            String maxConnections = environment.getProperty("server.tomcat.max-connections");
            if (maxConnections != null) {
                connector.setProperty("maxConnections", maxConnections.strip());
            }
            factory.addAdditionalConnectors(connector);
        };
    }

    private static void copyDuration(Environment environment, String property, Connector connector, String name) {
        Duration value = environment.getProperty(property, Duration.class);
        if (value != null) {
            connector.setProperty(name, Long.toString(value.toMillis()));
        }
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> alipayFacingOnly(NotifyProperties settings) {
        int port = settings.port();
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String path = request.getRequestURI()
                        .substring(request.getContextPath().length());
                if (request.getLocalPort() == port
                        && !ALIPAY_FACING.contains(path)
                        && !BUYER_FACING.matcher(path).matches()) {
                    response.setStatus(404);
                    response.setContentType("text/plain");
                    response.getWriter().write("not found");
                    return;
                }
                chain.doFilter(request, response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/*");
        // behind the body's receipt: a 404 before it would leave the container draining a slow body on a worker
        registration.setOrder(RequestBodyConfiguration.ORDER + 1);
        return registration;
    }
}
