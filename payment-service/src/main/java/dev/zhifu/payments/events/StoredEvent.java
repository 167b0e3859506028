package dev.zhifu.payments.events;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

public record StoredEvent(
        String id,
        String paymentId,
        String type,
        JsonNode data,
        Instant createdAt,
        String deliveryStatus,
        int attempts,
        Instant nextAttemptAt,
        Instant lastAttemptAt,
        String lastError,
        Instant deliveredAt) {}
