package dev.zhifu.payments.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.zhifu.payments.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/events")
@Tag(name = "Events")
public class EventController {

    private final EventOutbox outbox;

    public EventController(EventOutbox outbox) {
        this.outbox = outbox;
    }

    public record EventView(
            String id,
            String type,
            @JsonProperty("payment_id") String paymentId,
            @JsonProperty("created_at") Instant createdAt,
            Object data,
            @JsonProperty("delivery_status") String deliveryStatus,
            @JsonProperty("delivery_attempts") int deliveryAttempts,
            @JsonProperty("next_attempt_at") Instant nextAttemptAt,
            @JsonProperty("last_attempt_at") Instant lastAttemptAt,
            @JsonProperty("last_error") String lastError,
            @JsonProperty("delivered_at") Instant deliveredAt) {
        static EventView of(StoredEvent e) {
            JsonNode data = e.data();
            return new EventView(
                    e.id(),
                    e.type(),
                    e.paymentId(),
                    e.createdAt(),
                    data,
                    e.deliveryStatus(),
                    e.attempts(),
                    e.nextAttemptAt(),
                    e.lastAttemptAt(),
                    e.lastError(),
                    e.deliveredAt());
        }
    }

    @GetMapping
    @Operation(summary = "Payment events, newest first, with their delivery status")
    public Map<String, List<EventView>> list(
            @RequestParam(value = "payment_id", required = false) String paymentId,
            @RequestParam(value = "limit", defaultValue = "50") int limit) {
        if (limit < 1 || limit > 500) {
            throw new ApiException(
                    org.springframework.http.HttpStatus.BAD_REQUEST, "validation_failed", "limit: 1 to 500");
        }
        return Map.of(
                "data",
                outbox.list(paymentId, limit).stream().map(EventView::of).toList());
    }

    @ApiResponse(responseCode = "404", description = "event_not_found")
    @PostMapping("/{id}/redeliver")
    @Operation(summary = "Post that event to the webhook again")
    public EventView redeliver(@PathVariable String id) {
        outbox.find(id).orElseThrow(() -> ApiException.notFound("event_not_found", "No event " + id));
        outbox.redeliver(id);
        return EventView.of(outbox.find(id).orElseThrow());
    }
}
