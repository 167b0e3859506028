package dev.zhifu.payments.web;

import dev.zhifu.alipay.AlipayException;
import dev.zhifu.payments.storage.DatabaseFailures;
import dev.zhifu.payments.storage.DatabaseHealth;
import java.net.URI;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the REST API as {@code application/problem+json} (RFC 9457) with a stable {@code code}.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    /** What a client waits before trying again: about the readiness check's time to notice a recovery. */
    static final String DATABASE_RETRY_AFTER_SECONDS = "5";

    private final ObjectProvider<DatabaseHealth> database;

    public ProblemHandler(ObjectProvider<DatabaseHealth> database) {
        this.database = database;
    }

    public static ProblemDetail problem(HttpStatusCode status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://zhifu.dev/problems/" + code.replace('_', '-')));
        problem.setProperty("code", code);
        return problem;
    }

    /** The problem as plain members, for writers outside Spring MVC's converters. */
    public static Map<String, Object> asMap(ProblemDetail problem) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("type", String.valueOf(problem.getType()));
        map.put("title", problem.getTitle());
        map.put("status", problem.getStatus());
        map.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            map.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            map.putAll(problem.getProperties());
        }
        return map;
    }

    public static ResponseEntity<ProblemDetail> response(ApiException e) {
        ProblemDetail problem = problem(e.status(), e.code(), e.getMessage());
        e.extra().forEach(problem::setProperty);
        return ResponseEntity.status(e.status())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<ProblemDetail> api(ApiException e) {
        return response(e);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return response(new ApiException(HttpStatus.BAD_REQUEST, "validation_failed", e.getName() + ": invalid value"));
    }

    /**
     * A header or parameter the firewall refuses (control characters, characters outside what HTTP allows): Spring
     * Security checks them when they are first read, which may be in a controller.
     */
    @ExceptionHandler(RequestRejectedException.class)
    public ResponseEntity<ProblemDetail> rejected(RequestRejectedException e) {
        return response(new ApiException(
                HttpStatus.BAD_REQUEST,
                "malformed_request",
                "A header or parameter holds characters this service does not accept"));
    }

    /** A gateway failure nobody turned into a specific answer: nothing was applied. */
    @ExceptionHandler(AlipayException.class)
    public ResponseEntity<ProblemDetail> alipay(AlipayException e) {
        log.warn("Alipay call failed: {}", e.getMessage());
        return response(ApiException.alipayUnavailable(
                "Alipay could not be reached or answered unusably; " + "nothing was changed, try again"));
    }

    /**
     * The database could not be reached, lost the connection or did not answer within the bounds of
     * payments.database.*: 503 at once (the outage itself is logged once, by DatabaseHealth). The request may or
     * may not have been applied when the connection broke during a commit; repeating it is safe (out_trade_no,
     * Idempotency-Key).
     */
    @ExceptionHandler({DataAccessException.class, TransactionException.class})
    public ResponseEntity<ProblemDetail> database(RuntimeException e) {
        if (!DatabaseFailures.unavailable(e)) {
            return unexpected(e);
        }
        return databaseUnavailable(e);
    }

    private ResponseEntity<ProblemDetail> databaseUnavailable(Exception e) {
        log.debug("Database unavailable for a request: {}", e.toString());
        database.ifAvailable(DatabaseHealth::suspect);
        ApiException answer = new ApiException(
                HttpStatus.SERVICE_UNAVAILABLE,
                "database_unavailable",
                "The database could not be reached or did not answer in time; retry the same request later");
        ProblemDetail problem = problem(answer.status(), answer.code(), answer.getMessage());
        return ResponseEntity.status(answer.status())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, DATABASE_RETRY_AFTER_SECONDS)
                .body(problem);
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (DatabaseFailures.unavailable(e)) {
            return databaseUnavailable(e);
        }
        log.error("Unexpected failure", e);
        return response(
                new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "An unexpected error occurred"));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = ex.getCause();
        String reason = JsonBodies.reason(cause);
        if (reason == null) {
            reason = ex.getMostSpecificCause() == null
                    ? ex.getMessage()
                    : ex.getMostSpecificCause().getMessage();
        }
        String detail =
                "The body is not the JSON object this call takes" + (reason == null ? "" : ": " + firstLine(reason));
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "malformed_request", detail);
        return ResponseEntity.status(HttpStatus.BAD_REQUEST)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            org.springframework.web.bind.MissingServletRequestParameterException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        ApiException e = new ApiException(
                        HttpStatus.BAD_REQUEST, "validation_failed", ex.getParameterName() + ": required")
                .with("errors", java.util.List.of(new FieldErrors.FieldError(ex.getParameterName(), "required")));
        ProblemDetail problem = problem(e.status(), e.code(), e.getMessage());
        e.extra().forEach(problem::setProperty);
        return ResponseEntity.status(HttpStatus.BAD_REQUEST)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> entity = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (entity != null
                && entity.getBody() instanceof ProblemDetail problem
                && (problem.getProperties() == null || !problem.getProperties().containsKey("code"))) {
            String code = codeFor(statusCode);
            problem.setProperty("code", code);
            problem.setType(URI.create("https://zhifu.dev/problems/" + code.replace('_', '-')));
        }
        return entity;
    }

    private static final Map<Integer, String> CODES = Map.of(
            400,
            "bad_request",
            404,
            "not_found",
            405,
            "method_not_allowed",
            406,
            "not_acceptable",
            415,
            "unsupported_media_type",
            413,
            "payload_too_large",
            503,
            "unavailable");

    private static String codeFor(HttpStatusCode status) {
        return CODES.getOrDefault(status.value(), status.is5xxServerError() ? "internal_error" : "bad_request");
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
