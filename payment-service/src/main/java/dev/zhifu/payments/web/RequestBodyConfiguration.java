package dev.zhifu.payments.web;

import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
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
