package dev.zhifu.payments.security;

import dev.zhifu.payments.web.ProblemHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refusals of requests that never reach a controller, in the REST API's shape: 401 or 403
 * {@code application/problem+json} with a {@code code}.
 */
final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        String detail;
        if (request.getHeader("Authorization") != null) {
            detail = "The API key is not valid";
        } else if (isApi(request)) {
            detail = "Send your API key as 'Authorization: Bearer <key>'";
        } else {
            detail = "This path is not public: it needs credentials";
        }
        response.setHeader("WWW-Authenticate", "Bearer realm=\"payment-service\"");
        write(request, response, HttpStatus.UNAUTHORIZED, "unauthorized", detail);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        write(request, response, HttpStatus.FORBIDDEN, "forbidden", "These credentials do not allow this request");
    }

    private static boolean isApi(HttpServletRequest request) {
        String path = request.getServletPath();
        return path.startsWith("/api/") || path.startsWith("/actuator/");
    }

    private void write(
            HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code, String detail)
            throws IOException {
        ProblemDetail problem = ProblemHandler.problem(status, code, detail);
        try {
            problem.setInstance(URI.create(request.getRequestURI()));
        } catch (IllegalArgumentException unusual) {
            // a path no URI can hold is left out of the answer rather than failing it
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream()
                .write(json.writeValueAsString(ProblemHandler.asMap(problem)).getBytes(StandardCharsets.UTF_8));
    }
}
