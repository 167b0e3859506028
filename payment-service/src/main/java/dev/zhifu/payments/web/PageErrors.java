package dev.zhifu.payments.web;

import dev.zhifu.payments.storage.DatabaseFailures;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

/**
 * Errors of the web pages as an HTML page in the visitor's language (the REST API keeps its
 * {@code application/problem+json}, see {@link ProblemHandler}).
 */
@ControllerAdvice(basePackages = {"dev.zhifu.payments.admin", "dev.zhifu.payments.demo", "dev.zhifu.payments.anyqr"})
@Order(Ordered.HIGHEST_PRECEDENCE)
public class PageErrors {

    private static final Logger log = LoggerFactory.getLogger(PageErrors.class);

    @ExceptionHandler(PageException.class)
    public ModelAndView page(PageException e, HttpServletResponse response) {
        return view(response, e.status(), e.messageKey(), null);
    }

    @ExceptionHandler(ApiException.class)
    public ModelAndView api(ApiException e, HttpServletResponse response) {
        return view(response, e.status().value(), null, e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    public ModelAndView unexpected(Exception e, HttpServletResponse response) {
        if (DatabaseFailures.unavailable(e)) {
            // the outage is logged once, by DatabaseHealth
            log.debug("Database unavailable for a web page: {}", e.toString());
            return view(response, 503, "error.database_unavailable", null);
        }
        log.error("Unexpected failure on a web page", e);
        return view(response, 500, "error.unexpected", null);
    }

    static ModelAndView view(HttpServletResponse response, int status, String key, String detail) {
        response.setStatus(status);
        ModelAndView mv = new ModelAndView("error-page");
        mv.addObject("status", status);
        mv.addObject("messageKey", key);
        mv.addObject("detail", detail);
        return mv;
    }
}
