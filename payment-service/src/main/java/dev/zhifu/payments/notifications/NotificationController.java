package dev.zhifu.payments.notifications;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /notify/alipay}. Reads the raw body itself: servlet parameters would be decoded in the container's
 * charset before we know the body's own (GBK notifications), and Spring would rebuild a form body from them.
 * Before that: the IP allow-list, the refusal rate limit per address and the body size limit
 * ({@code payments.notify.*}); none of those refusals touches the database.
 */
@RestController
@Hidden
public class NotificationController {

    private static final Logger log = LoggerFactory.getLogger(NotificationController.class);

    private final NotificationService service;
    private final NotifyGuard guard;
    private final int maxBody;
    private final io.micrometer.core.instrument.MeterRegistry meters;

    public NotificationController(NotificationService service, NotifyGuard guard, NotifyProperties settings,
                                  io.micrometer.core.instrument.MeterRegistry meters) {
        this.service = service;
        this.guard = guard;
        this.maxBody = (int) settings.maxBodySize().toBytes();
        this.meters = meters;
    }

    @PostMapping("/notify/alipay")
    public ResponseEntity<String> notify(HttpServletRequest request) throws IOException {
        String remote = request.getRemoteAddr();
        if (!guard.allowed(remote)) {
            guard.refused(remote);
            return early(HttpStatus.FORBIDDEN, "not_allowed", remote);
        }
        if (guard.throttled(remote)) {
            return early(HttpStatus.TOO_MANY_REQUESTS, "throttled", remote);
        }
        if (request.getContentLengthLong() > maxBody) {
            guard.refused(remote);
            return early(HttpStatus.PAYLOAD_TOO_LARGE, "too_large", remote);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(maxBody + 1);
        }
        if (body.length > maxBody) {
            guard.refused(remote);
            return early(HttpStatus.PAYLOAD_TOO_LARGE, "too_large", remote);
        }
        NotificationService.Result result = service.receive(body, remote);
        if (!result.accepted()) {
            guard.refused(remote);
        }
        // exactly the 7 characters Alipay looks for (SPEC §9.1)
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(result.accepted() ? "success" : "failure");
    }

    private ResponseEntity<String> early(HttpStatus status, String outcome, String remote) {
        log.debug("Notification from {} refused before reading: {}", remote, outcome);
        meters.counter("payments.notifications", "outcome", outcome).increment();
        return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN).body("failure");
    }
}
