package dev.zhifu.payments.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page template may use: the CSRF token of its forms and the time format. */
@ControllerAdvice(basePackages = {"dev.zhifu.payments.admin", "dev.zhifu.payments.demo"})
public class PageModel {

    private final PageFormat format;

    public PageModel(PageFormat format) {
        this.format = format;
    }

    @ModelAttribute("csrfToken")
    public String csrfToken(HttpServletRequest request) {
        return CsrfTokens.token(request);
    }

    @ModelAttribute("fmt")
    public PageFormat format() {
        return format;
    }
}
