package dev.zhifu.sandbox.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Faults injected through {@code POST /sandbox/faults} (format in README.md). Each fault has a budget of
 * {@code count} uses (absent: until {@code DELETE /sandbox/faults}); the first matching fault is used up first.
 */
public final class FaultPlan {

    /** What a faulty gateway call does instead of answering normally. */
    public enum GatewayAnswer {
        SYSTEM_ERROR,
        HTTP_502,
        TIMEOUT
    }

    /** What happens to a notification. */
    public enum NotificationFault {
        DROP,
        DUPLICATE,
        DELAY,
        REORDER
    }

    /** A gateway fault chosen for one call. */
    public record GatewayFault(GatewayAnswer answer, Duration hang, boolean apply) {}

    private static final class Fault {
        final String type;
        final Set<String> methods;
        final GatewayAnswer answer;
        final Duration delay;
        final boolean apply;
        final boolean unlimited;
        int remaining;
        final ObjectNode json;

        Fault(
                String type,
                Set<String> methods,
                GatewayAnswer answer,
                Duration delay,
                boolean apply,
                Integer count,
                ObjectNode json) {
            this.type = type;
            this.methods = methods;
            this.answer = answer;
            this.delay = delay;
            this.apply = apply;
            this.unlimited = count == null;
            this.remaining = count == null ? 0 : count;
            this.json = json;
        }

        boolean take() {
            if (unlimited) {
                return true;
            }
            remaining--;
            return true;
        }

        boolean spent() {
            return !unlimited && remaining <= 0;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Fault> faults = new ArrayList<>();

    /**
     * Adds the fault(s) described by one JSON object or an array of them.
     *
     * @return the types added, for the answer; {@code rotate_alipay_cert} is returned but not stored (it acts
     *         at once, see the caller)
     * @throws IllegalArgumentException with a message for the HTTP 400 answer
     */
    public synchronized List<String> add(JsonNode body) {
        List<JsonNode> items = new ArrayList<>();
        if (body instanceof ArrayNode array) {
            array.forEach(items::add);
        } else if (body instanceof ObjectNode) {
            items.add(body);
        } else {
            throw new IllegalArgumentException("expected a JSON object or an array of objects");
        }
        List<Fault> parsed = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (JsonNode item : items) {
            Fault fault = parse(item);
            types.add(fault.type);
            if (!fault.type.equals("rotate_alipay_cert")) {
                parsed.add(fault);
            }
        }
        faults.addAll(parsed);
        return types;
    }

    private static Fault parse(JsonNode item) {
        if (!(item instanceof ObjectNode object)) {
            throw new IllegalArgumentException("each fault must be a JSON object");
        }
        String type = text(object, "type");
        if (type == null) {
            throw new IllegalArgumentException("missing \"type\" (one of drop_notifications, duplicate_notifications, "
                    + "delay_notifications, reorder_notifications, gateway_error, wrong_sign_key, rotate_alipay_cert)");
        }
        Integer count = object.has("count") ? positive(object, "count") : null;
        switch (type) {
            case "drop_notifications", "duplicate_notifications", "wrong_sign_key", "rotate_alipay_cert" -> {
                return new Fault(type, Set.of(), null, Duration.ZERO, false, count, object);
            }
            case "delay_notifications" -> {
                long ms = object.has("delay_ms") ? positive(object, "delay_ms") : 5000;
                return new Fault(type, Set.of(), null, Duration.ofMillis(ms), false, count, object);
            }
            case "reorder_notifications" -> {
                int n = count == null ? 2 : count;
                if (n < 2) {
                    throw new IllegalArgumentException("reorder_notifications needs count >= 2");
                }
                return new Fault(type, Set.of(), null, Duration.ZERO, false, n, object);
            }
            case "gateway_error" -> {
                Set<String> methods = new HashSet<>();
                JsonNode list = object.get("methods");
                if (list != null) {
                    if (!list.isArray()) {
                        throw new IllegalArgumentException("\"methods\" must be an array of method names");
                    }
                    list.forEach(m -> methods.add(m.asText()));
                }
                String answer = text(object, "answer");
                GatewayAnswer kind;
                try {
                    kind = GatewayAnswer.valueOf((answer == null ? "system_error" : answer).toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("\"answer\" must be system_error, http_502 or timeout");
                }
                long hang = object.has("hang_ms") ? positive(object, "hang_ms") : 20_000;
                boolean apply = object.has("apply") ? object.get("apply").asBoolean() : kind == GatewayAnswer.TIMEOUT;
                return new Fault(
                        type,
                        Set.copyOf(methods),
                        kind,
                        Duration.ofMillis(hang),
                        apply,
                        count == null ? 1 : count,
                        object);
            }
            default -> throw new IllegalArgumentException("unknown fault type \"" + type + "\"");
        }
    }

    private static String text(ObjectNode o, String name) {
        JsonNode n = o.get(name);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static int positive(ObjectNode o, String name) {
        JsonNode n = o.get(name);
        if (!n.canConvertToInt() || n.asInt() < 1) {
            throw new IllegalArgumentException("\"" + name + "\" must be a positive integer");
        }
        return n.asInt();
    }

    public synchronized void clear() {
        faults.clear();
    }

    /** The active faults with what is left of their budgets. */
    public synchronized ArrayNode describe() {
        ArrayNode out = JSON.createArrayNode();
        for (Fault f : faults) {
            ObjectNode copy = f.json.deepCopy();
            if (!f.unlimited) {
                copy.put("remaining", f.remaining);
            }
            out.add(copy);
        }
        return out;
    }

    /** Uses up a gateway fault for {@code method}, if one applies. */
    public synchronized GatewayFault takeGatewayFault(String method) {
        Fault f = take("gateway_error", method);
        return f == null ? null : new GatewayFault(f.answer, f.delay, f.apply);
    }

    /** True when this signature must be made with the wrong key. */
    public synchronized boolean takeWrongKey() {
        return take("wrong_sign_key", null) != null;
    }

    /** Uses up a drop for one delivery attempt. */
    public synchronized boolean takeDrop() {
        return take("drop_notifications", null) != null;
    }

    /** For a new notification: duplicate, delay or reorder it (in that priority), or {@code null}. */
    public synchronized NotificationFault takeNewNotificationFault() {
        if (take("duplicate_notifications", null) != null) {
            return NotificationFault.DUPLICATE;
        }
        if (peek("delay_notifications") != null) {
            return NotificationFault.DELAY;
        }
        if (peek("reorder_notifications") != null) {
            return NotificationFault.REORDER;
        }
        return null;
    }

    /** The delay of the next delayed notification, using up one. */
    public synchronized Duration takeDelay() {
        Fault f = take("delay_notifications", null);
        return f == null ? Duration.ZERO : f.delay;
    }

    /** Uses one reorder slot; answers the group size when this notification completes the group, else 0. */
    public synchronized int takeReorderSlot() {
        Fault f = peek("reorder_notifications");
        if (f == null) {
            return 0;
        }
        int group = f.remaining + held(f);
        f.json.put("held", held(f) + 1);
        f.remaining--;
        if (f.remaining <= 0) {
            faults.remove(f);
            return group;
        }
        return -1;
    }

    private static int held(Fault f) {
        return f.json.has("held") ? f.json.get("held").asInt() : 0;
    }

    private Fault peek(String type) {
        for (Fault f : faults) {
            if (f.type.equals(type) && !f.spent()) {
                return f;
            }
        }
        return null;
    }

    private Fault take(String type, String method) {
        Iterator<Fault> it = faults.iterator();
        while (it.hasNext()) {
            Fault f = it.next();
            if (!f.type.equals(type) || (method != null && !f.methods.isEmpty() && !f.methods.contains(method))) {
                continue;
            }
            f.take();
            if (f.spent()) {
                it.remove();
            }
            return f;
        }
        return null;
    }
}
