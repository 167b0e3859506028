package dev.zhifu.payments.admin;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /admin/login}: the form, and its post checked by {@link AdminAuthentication}. Spring Security has
 * checked the post's CSRF token before it gets here; {@code /admin/logout} is Spring Security's own.
 */
@Controller
@Hidden
public class AdminLoginController {

    private static final Logger log = LoggerFactory.getLogger(AdminLoginController.class);

    private final AdminAuthentication authentication;
    private final AdminPassword password;

    public AdminLoginController(AdminAuthentication authentication, AdminPassword password) {
        this.authentication = authentication;
        this.password = password;
    }

    @GetMapping("/admin/login")
    public String form(@RequestParam(required = false) String next, Model model) {
        if (AdminAuthentication.loggedIn()) {
            return "redirect:" + SafeNext.of(next);
        }
        return page(model, next, null);
    }

    @PostMapping("/admin/login")
    public String login(
            @RequestParam(value = "password", required = false) String presented,
            @RequestParam(required = false) String next,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        String address = request.getRemoteAddr();
        try {
            authentication.logIn(presented, request, response);
        } catch (LockedException throttled) {
            log.warn("Admin login from {} refused: too many failed attempts", address);
            response.setStatus(429);
            return page(model, next, throttled.getMessage());
        } catch (AuthenticationException refused) {
            log.warn("Admin login from {} failed", address);
            response.setStatus(401);
            return page(model, next, refused.getMessage());
        }
        log.info("Admin login from {}", address);
        return "redirect:" + SafeNext.of(next);
    }

    private String page(Model model, String next, String error) {
        model.addAttribute("next", SafeNext.of(next));
        model.addAttribute("error", error);
        model.addAttribute("enabled", password.enabled());
        model.addAttribute("generated", password.generated());
        return "admin/login";
    }
}
