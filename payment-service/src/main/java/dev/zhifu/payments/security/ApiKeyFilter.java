package dev.zhifu.payments.security;

import dev.zhifu.payments.web.ProblemHandler;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Authorization: Bearer <api key>} on every {@code /api/**} call; 401 {@code unauthorized} otherwise.
 * Never reads request parameters: {@code /notify/alipay} must find its raw body untouched.
 */
public class ApiKeyFilter extends OncePerRequestFilter {

    private final ApiKeys keys;
    private final JsonMapper json;

    public ApiKeyFilter(ApiKeys keys, JsonMapper json) {
        this.keys = keys;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.equals("/api") || path.startsWith("/api/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        String token = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).strip();
        }
        if (!keys.accepts(token)) {
            ProblemDetail problem = ProblemHandler.problem(HttpStatus.UNAUTHORIZED, "unauthorized",
                    header == null ? "Send your API key as 'Authorization: Bearer <key>'" : "The API key is not valid");
            problem.setInstance(java.net.URI.create(request.getRequestURI()));
            response.setStatus(401);
            response.setHeader("WWW-Authenticate", "Bearer realm=\"payment-service\"");
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getOutputStream().write(json.writeValueAsString(ProblemHandler.asMap(problem)).getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(request, response);
    }
}
