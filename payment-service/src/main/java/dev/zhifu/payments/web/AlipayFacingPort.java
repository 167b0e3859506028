package dev.zhifu.payments.web;

import dev.zhifu.payments.notifications.NotifyProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code payments.notify.port}: the Alipay-facing surface on a port of its own. Only {@code /notify/alipay} and
 * {@code /return/alipay} answer there (anything else is 404), so the internet-facing port exposes neither the
 * REST API, the admin console, the API docs nor the actuator, which stay on {@code server.port} (and
 * {@code management.server.port} when set) behind the firewall.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("payments.notify.port")
public class AlipayFacingPort {

    static final Set<String> ALIPAY_FACING = Set.of("/notify/alipay", "/return/alipay");

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> alipayFacingConnector(NotifyProperties settings) {
        return factory -> {
            Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
            connector.setPort(settings.port());
            factory.addAdditionalConnectors(connector);
        };
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> alipayFacingOnly(NotifyProperties settings) {
        int port = settings.port();
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String path = request.getRequestURI().substring(request.getContextPath().length());
                if (request.getLocalPort() == port && !ALIPAY_FACING.contains(path)) {
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
