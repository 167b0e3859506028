package dev.zhifu.payments.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.ModelAndView;

/**
 * The error page a browser sees for an error no controller answered (an unknown page, a form refused by the
 * CSRF check): the pages' own layout and language instead of Spring Boot's bare default. API clients that do
 * not ask for HTML keep Boot's JSON.
 */
@Component
public class ErrorPages implements ErrorViewResolver {

    /** A request attribute naming the message the page shows, for a refusal that knows better than its status. */
    public static final String MESSAGE_KEY = ErrorPages.class.getName() + ".messageKey";

    @Override
    public ModelAndView resolveErrorView(HttpServletRequest request, HttpStatus status, Map<String, Object> model) {
        Object key = request.getAttribute(MESSAGE_KEY);
        String messageKey = key instanceof String s
                ? s
                : status == HttpStatus.NOT_FOUND
                        ? "error.not_found"
                        : status == HttpStatus.FORBIDDEN
                                ? "error.forbidden"
                                : status.is5xxServerError() ? "error.unexpected" : null;
        ModelAndView page = new ModelAndView("error-page", status);
        page.addObject("status", status.value());
        page.addObject("messageKey", messageKey);
        return page;
    }
}
