package dev.zhifu.payments.web;

import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/** {@link RequestBodyFilter} in front of everything that could read a request's body or refuse the request. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RequestBodyProperties.class)
public class RequestBodyConfiguration {

    /**
     * After Boot's character encoding filter ({@code HIGHEST_PRECEDENCE}) and the HTTP server observation filter
     * ({@code HIGHEST_PRECEDENCE + 1}), so a request refused here is still timed and traced; before Spring
     * Security's filter chain ({@code -100}) and every other filter, none of which may touch a body first.
     */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    static final String NAME = "requestBodyFilter";

    /**
     * Filters that may come after it on {@code REQUEST} dispatches alone: Tomcat's WebSocket filter only upgrades
     * handshakes (GETs without a body; the service has no WebSocket endpoint), and Spring's resource URL encoding
     * filter only rewrites links to static resources, which without a versioning strategy come out the same.
     */
    static final Set<String> REQUEST_ONLY_IS_HARMLESS = Set.of(
            "org.apache.tomcat.websocket.server.WsFilter",
            "org.springframework.web.servlet.resource.ResourceUrlEncodingFilter");

    /**
     * The connector protocol every HTTP connector of the service is made with: the filter's non-blocking reads of a
     * chunked body must not lose the answer when the client half-closes ({@link ChunkedBodyEndProtocol}).
     */
    public static final String PROTOCOL = ChunkedBodyEndProtocol.class.getName();

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> chunkedBodyEndProtocol() {
        return factory -> factory.setProtocol(PROTOCOL);
    }

    @Bean
    FilterRegistrationBean<RequestBodyFilter> requestBodyFilter(
            RequestBodyProperties settings, ObjectProvider<TomcatServerProperties> tomcat, JsonMapper json) {
        // the container's limit on parameters, which the form bodies parsed here must keep as well
        TomcatServerProperties server = tomcat.getIfAvailable();
        int maxParameterCount = server == null ? 1000 : server.getMaxParameterCount();
        FilterRegistrationBean<RequestBodyFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyFilter(settings, maxParameterCount, json));
        registration.setName(NAME);
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        registration.setAsyncSupported(true);
        registration.setOrder(ORDER);
        return registration;
    }

    /**
     * A request whose body arrived after its headers reaches the filters behind this one on an {@code ASYNC}
     * dispatch, and the container only runs filters mapped for that dispatcher type. A filter behind it mapped for
     * {@code REQUEST} alone would be skipped for those requests: a security check could be bypassed by sending the
     * body slowly. So the service does not start with one.
     */
    @EventListener
    public void everyFilterBehindSeesTheBody(WebServerInitializedEvent event) {
        if (!(event.getWebServer() instanceof TomcatWebServer server)) {
            return;
        }
        for (Container child : server.getTomcat().getHost().findChildren()) {
            if (child instanceof Context context) {
                List<String> skipped = skippedBehind(context.findFilterMaps(), name -> {
                    FilterDef def = context.findFilterDef(name);
                    return def == null ? null : def.getFilterClass();
                });
                if (!skipped.isEmpty()) {
                    throw new IllegalStateException("Filters " + skipped + " come after " + NAME + " but are not "
                            + "mapped for ASYNC dispatches: requests whose body arrives slowly would skip them. "
                            + "Register them for DispatcherType.ASYNC as well, or order them before "
                            + RequestBodyConfiguration.class.getName() + ".ORDER");
                }
            }
        }
    }

    /**
     * Every connector in front of the filter is made with {@link #PROTOCOL}: on one made otherwise (an additional
     * connector made with Tomcat's default protocol), a chunked request whose client half-closes after its last chunk
     * would be processed and never answered. So the service does not start with one. (A separate management server
     * does not serve the filter, and reads no body without blocking.)
     */
    @EventListener
    public void everyConnectorAnswersChunkedBodies(WebServerInitializedEvent event) {
        if (!(event.getWebServer() instanceof TomcatWebServer server)) {
            return;
        }
        boolean served = Arrays.stream(server.getTomcat().getHost().findChildren())
                .anyMatch(child -> child instanceof Context context && context.findFilterDef(NAME) != null);
        if (!served) {
            return;
        }
        List<String> others = madeOtherwise(server.getTomcat().getService().findConnectors());
        if (!others.isEmpty()) {
            throw new IllegalStateException("Connectors " + others + " are not made with "
                    + RequestBodyConfiguration.class.getName() + ".PROTOCOL: chunked requests whose client "
                    + "half-closes after the last chunk would go unanswered there");
        }
    }

    /** The connectors not made with {@link #PROTOCOL}, as port and protocol class. */
    static List<String> madeOtherwise(Connector[] connectors) {
        return Arrays.stream(connectors)
                .filter(connector -> !(connector.getProtocolHandler() instanceof ChunkedBodyEndProtocol))
                .map(connector -> connector.getPort() + " ("
                        + connector.getProtocolHandler().getClass().getName() + ")")
                .toList();
    }

    static List<String> skippedBehind(FilterMap[] maps, Function<String, String> classOfFilter) {
        List<String> skipped = new ArrayList<>();
        boolean behind = false;
        for (FilterMap map : maps) {
            if (map.getFilterName().equals(NAME)) {
                behind = true;
            } else if (behind
                    && (map.getDispatcherMapping() & FilterMap.ASYNC) == 0
                    && !REQUEST_ONLY_IS_HARMLESS.contains(classOfFilter.apply(map.getFilterName()))) {
                skipped.add(map.getFilterName());
            }
        }
        return skipped;
    }
}
