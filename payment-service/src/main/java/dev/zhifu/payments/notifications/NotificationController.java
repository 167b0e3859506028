package dev.zhifu.payments.notifications;

import dev.zhifu.payments.storage.DatabaseFailures;
import dev.zhifu.payments.storage.DatabaseHealth;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /notify/alipay}. Reads the raw body itself: servlet parameters would be decoded in the container's
 * charset before we know the body's own (GBK notifications), and Spring would rebuild a form body from them.
 * Before reading: the IP allow-list and the body size limit ({@code payments.notify.*}). Then the signature is
 * verified (microseconds, no database) before the refusal rate limit is looked at, so a correctly signed
 * notification is never throttled by others' forgeries from the same address (every Alipay notification behind
 * one load balancer shares it); a post that fails verification drains its address's bucket and leaves bounded
 * evidence ({@link RefusedNotifications}), or, once the bucket is empty, is answered 429 and leaves nothing.
 * When the database cannot be used (unreachable, or the connection lost during the commit) the answer is 503
 * {@code failure} at once: Alipay sends the notification again, and a copy of one already applied gets
 * {@code success}.
 */
@RestController
@Hidden
public class NotificationController {

    private static final Logger log = LoggerFactory.getLogger(NotificationController.class);
    private static final byte[] SUCCESS = "success".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FAILURE = "failure".getBytes(StandardCharsets.US_ASCII);

    private final NotificationService service;
    private final NotifyGuard guard;
    private final RefusedNotifications evidence;
    private final int maxBody;
    private final io.micrometer.core.instrument.MeterRegistry meters;
    private final DatabaseHealth database;

    public NotificationController(
            NotificationService service,
            NotifyGuard guard,
            RefusedNotifications evidence,
            NotifyProperties settings,
            io.micrometer.core.instrument.MeterRegistry meters,
            DatabaseHealth database) {
        this.database = database;
        this.service = service;
        this.guard = guard;
        this.evidence = evidence;
        this.maxBody = (int) settings.maxBodySize().toBytes();
        this.meters = meters;
    }

    /**
     * Answers by writing the response itself: the seven characters need no content negotiation, which cost more
     * than the rest of Spring MVC's part of this, the busiest, endpoint.
     */
    @PostMapping("/notify/alipay")
    public void notify(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String remote = request.getRemoteAddr();
        if (!guard.allowed(remote)) {
            guard.refused(remote);
            early(response, HttpStatus.FORBIDDEN, "not_allowed", remote);
            return;
        }
        if (request.getContentLengthLong() > maxBody) {
            guard.refused(remote);
            early(response, HttpStatus.PAYLOAD_TOO_LARGE, "too_large", remote);
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(maxBody + 1);
        }
        if (body.length > maxBody) {
            guard.refused(remote);
            early(response, HttpStatus.PAYLOAD_TOO_LARGE, "too_large", remote);
            return;
        }
        NotificationService.Result result;
        try {
            result = service.receive(body, remote);
        } catch (RuntimeException e) {
            if (!DatabaseFailures.unavailable(e)) {
                throw e;
            }
            // not stored, or stored with an outcome we cannot know (the connection broke during the commit):
            // 'failure' makes Alipay send it again, and a copy of what was applied is answered 'success'
            database.suspect();
            log.debug("Notification from {} not taken, database unavailable: {}", remote, e.toString());
            early(response, HttpStatus.SERVICE_UNAVAILABLE, "database_unavailable", remote);
            return;
        }
        if (result.unverified()) {
            if (guard.throttled(remote)) {
                early(response, HttpStatus.TOO_MANY_REQUESTS, "throttled", remote);
                return;
            }
            guard.refused(remote);
            evidence.keep(remote, body, result.reason());
        }
        // exactly the 7 characters Alipay looks for (docs/alipay-protocol.md#s9.1)
        answer(response, HttpStatus.OK, result.accepted() ? SUCCESS : FAILURE);
    }

    private void early(HttpServletResponse response, HttpStatus status, String outcome, String remote)
            throws IOException {
        log.debug("Notification from {} refused before reading: {}", remote, outcome);
        meters.counter("payments.notifications", "outcome", outcome, "channel", "alipay")
                .increment();
        answer(response, status, FAILURE);
    }

    private static void answer(HttpServletResponse response, HttpStatus status, byte[] text) throws IOException {
        response.setStatus(status.value());
        response.setContentType("text/plain"); // as before: the seven ASCII characters need no charset
        response.setContentLength(text.length);
        response.getOutputStream().write(text);
    }
}
