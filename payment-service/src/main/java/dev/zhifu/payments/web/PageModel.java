package dev.zhifu.payments.web;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every page template may use: the time format. (Each form's CSRF token is added by Spring Security
 * to every {@code th:action} form.)
 */
@ControllerAdvice(basePackages = {"dev.zhifu.payments.admin", "dev.zhifu.payments.demo", "dev.zhifu.payments.anyqr"})
public class PageModel {

    private final PageFormat format;

    public PageModel(PageFormat format) {
        this.format = format;
    }

    @ModelAttribute("fmt")
    public PageFormat format() {
        return format;
    }
}
