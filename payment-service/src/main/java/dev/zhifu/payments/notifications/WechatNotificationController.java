package dev.zhifu.payments.notifications;

import dev.zhifu.payments.storage.DatabaseFailures;
import dev.zhifu.payments.storage.DatabaseHealth;
import dev.zhifu.wechatpay.WechatPayException;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /notify/wechatpay} (docs/payment-channels.md#notifications), with the same discipline as
 * {@code /notify/alipay}: the allow-list and the body limit before reading, the signature verified before the
 * refusal rate limit is looked at (a genuine notification is never throttled by forgeries from the same address),
 * bounded evidence of what fails verification. The answer is what WeChat Pay expects: 204 once the effect is
 * durably stored (or was already); otherwise a 4xx or 5xx with {@code {"code":"FAIL","message":…}}, and WeChat Pay
 * sends the notification again on its schedule.
 */
@RestController
@Hidden
public class WechatNotificationController {

    private static final Logger log = LoggerFactory.getLogger(WechatNotificationController.class);

    private final WechatNotificationService service;
    private final NotifyGuard guard;
    private final RefusedNotifications evidence;
    private final int maxBody;
    private final io.micrometer.core.instrument.MeterRegistry meters;
    private final DatabaseHealth database;
    private final JsonMapper json;

    public WechatNotificationController(
            WechatNotificationService service,
            NotifyGuard guard,
            RefusedNotifications evidence,
            NotifyProperties settings,
            io.micrometer.core.instrument.MeterRegistry meters,
            DatabaseHealth database,
            JsonMapper json) {
        this.json = json;
        this.service = service;
        this.guard = guard;
        this.evidence = evidence;
        this.maxBody = (int) settings.maxBodySize().toBytes();
        this.meters = meters;
        this.database = database;
    }

    @PostMapping("/notify/wechatpay")
    public void notify(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String remote = request.getRemoteAddr();
        if (!guard.allowed(remote)) {
            guard.refused(remote);
            early(response, HttpStatus.FORBIDDEN, "not_allowed", "not allowed from this address");
            return;
        }
        if (request.getContentLengthLong() > maxBody) {
            guard.refused(remote);
            early(response, HttpStatus.PAYLOAD_TOO_LARGE, "too_large", "body too large");
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(maxBody + 1);
        }
        if (body.length > maxBody) {
            guard.refused(remote);
            early(response, HttpStatus.PAYLOAD_TOO_LARGE, "too_large", "body too large");
            return;
        }
        NotificationService.Result result;
        try {
            result = service.receive(headers(request), body, remote);
        } catch (WechatPayException e) {
            // certificate mode: WeChat Pay's key could not be fetched now; the notification comes again
            log.warn("WeChat Pay notification from {} not verified now: {}", remote, e.getMessage());
            early(response, HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "cannot verify now");
            return;
        } catch (RuntimeException e) {
            if (!DatabaseFailures.unavailable(e)) {
                throw e;
            }
            database.suspect();
            log.debug("WeChat Pay notification from {} not taken, database unavailable: {}", remote, e.toString());
            early(response, HttpStatus.SERVICE_UNAVAILABLE, "database_unavailable", "database unavailable");
            return;
        }
        if (result.unverified()) {
            if (guard.throttled(remote)) {
                early(response, HttpStatus.TOO_MANY_REQUESTS, "throttled", "too many refused notifications");
                return;
            }
            guard.refused(remote);
            evidence.keep(remote, body, "wechatpay " + result.reason());
            fail(response, HttpStatus.UNAUTHORIZED, "signature or body not accepted");
            return;
        }
        if (result.accepted()) {
            response.setStatus(HttpStatus.NO_CONTENT.value());
            return;
        }
        fail(
                response,
                result.reason() != null && result.reason().startsWith("busy")
                        ? HttpStatus.SERVICE_UNAVAILABLE
                        : HttpStatus.BAD_REQUEST,
                result.reason());
    }

    /** Only the headers WeChat Pay signs with: the rest is not the verifier's business. */
    private static Map<String, String> headers(HttpServletRequest request) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String name :
                new String[] {"Wechatpay-Signature", "Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Serial"}) {
            String value = request.getHeader(name);
            if (value != null) {
                out.put(name, value);
            }
        }
        return out;
    }

    private void early(HttpServletResponse response, HttpStatus status, String outcome, String message)
            throws IOException {
        meters.counter("payments.notifications", "outcome", outcome, "channel", "wechatpay")
                .increment();
        fail(response, status, message);
    }

    /** {@code {"code":"FAIL","message":…}}: WeChat Pay reads any such answer as "send it again". */
    private void fail(HttpServletResponse response, HttpStatus status, String message) throws IOException {
        String text = message == null ? "refused" : message;
        byte[] bytes = json.writeValueAsBytes(
                Map.of("code", "FAIL", "message", text.length() > 200 ? text.substring(0, 200) : text));
        response.setStatus(status.value());
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
