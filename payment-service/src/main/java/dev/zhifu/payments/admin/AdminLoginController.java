package dev.zhifu.payments.admin;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** {@code /admin/login} and {@code /admin/logout}. */
@Controller
@Hidden
public class AdminLoginController {

    private static final Logger log = LoggerFactory.getLogger(AdminLoginController.class);

    private final AdminPassword password;
    private final LoginThrottle throttle;

    public AdminLoginController(AdminPassword password, LoginThrottle throttle) {
        this.password = password;
        this.throttle = throttle;
    }

    @GetMapping("/admin/login")
    public String form(@RequestParam(required = false) String next, HttpServletRequest request, Model model) {
        if (AdminSession.loggedIn(request)) {
            return "redirect:" + AdminSession.safeNext(next);
        }
        return page(model, next, null);
    }

    @PostMapping("/admin/login")
    public String login(@RequestParam(value = "password", required = false) String presented,
                        @RequestParam(required = false) String next, HttpServletRequest request,
                        HttpServletResponse response, Model model) {
        String address = request.getRemoteAddr();
        if (!throttle.allows(address)) {
            log.warn("Admin login from {} refused: too many failed attempts", address);
            response.setStatus(429);
            return page(model, next, "login.throttled");
        }
        if (!password.matches(presented)) {
            throttle.failed(address);
            log.warn("Admin login from {} failed", address);
            response.setStatus(401);
            return page(model, next, password.enabled() ? "login.wrong" : "login.disabled");
        }
        throttle.succeeded(address);
        AdminSession.logIn(request);
        log.info("Admin login from {}", address);
        return "redirect:" + AdminSession.safeNext(next);
    }

    @PostMapping("/admin/logout")
    public String logout(HttpServletRequest request) {
        AdminSession.logOut(request);
        return "redirect:/admin/login";
    }

    private String page(Model model, String next, String error) {
        model.addAttribute("next", AdminSession.safeNext(next));
        model.addAttribute("error", error);
        model.addAttribute("enabled", password.enabled());
        model.addAttribute("generated", password.generated());
        return "admin/login";
    }
}
