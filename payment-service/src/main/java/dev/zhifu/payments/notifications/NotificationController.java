package dev.zhifu.payments.notifications;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /notify/alipay}. Reads the raw body itself: servlet parameters would be decoded in the container's
 * charset before we know the body's own (GBK notifications), and Spring would rebuild a form body from them.
 */
@RestController
@Hidden
public class NotificationController {

    /** Alipay's notifications are a few KB; anything far larger is not one. */
    private static final int MAX_BODY = 64 * 1024;

    private final NotificationService service;

    public NotificationController(NotificationService service) {
        this.service = service;
    }

    @PostMapping("/notify/alipay")
    public ResponseEntity<String> notify(HttpServletRequest request) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        NotificationService.Result result = body.length > MAX_BODY
                ? new NotificationService.Result(NotificationService.Outcome.REFUSED, "body too large")
                : service.receive(body, request.getRemoteAddr());
        // exactly the 7 characters Alipay looks for (SPEC §9.1)
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(result.accepted() ? "success" : "failure");
    }
}
