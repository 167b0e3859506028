package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.testing.Api;
import dev.zhifu.payments.testing.ServiceSuite;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Authentication, validation, idempotency and out_trade_no uniqueness of the REST API. */
public abstract class ApiContractSuite extends ServiceSuite {

    @Test
    void callsWithoutAValidApiKeyAre401() {
        Api.Response none = api.anonymous("GET", "/api/v1/payments/pay_x", null, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.contentType()).startsWith("application/problem+json");
        assertThat(none.json().get("code").asString()).isEqualTo("unauthorized");
        Api.Response wrong = new Api(api.base(), "sk_wrong")
                .post("/api/v1/payments", "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\"}");
        assertThat(wrong.status()).isEqualTo(401);
    }

    @Test
    void invalidBodiesAreRefusedWithEveryProblemNamed() {
        Api.Response r = api.post(
                "/api/v1/payments",
                "{\"out_trade_no\":\"has space\",\"amount\":\"1.001\","
                        + "\"subject\":\"\",\"method\":\"card\",\"expire_minutes\":0}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("code").asString()).isEqualTo("validation_failed");
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).containsExactlyInAnyOrder("out_trade_no", "amount", "subject", "method", "expire_minutes");

        assertThat(api.post("/api/v1/payments", "{\"amount\":\"0.00\",\"subject\":\"x\",\"method\":\"qr\"}")
                        .json()
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asString())
                .isEqualTo("amount");
        assertThat(api.post("/api/v1/payments", "{\"amount\":\"100000000.01\",\"subject\":\"x\",\"method\":\"qr\"}")
                        .status())
                .isEqualTo(400);
        assertThat(api.post("/api/v1/payments", "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"barcode\"}")
                        .json()
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asString())
                .isEqualTo("auth_code");
        assertThat(api.post(
                                "/api/v1/payments",
                                "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\","
                                        + "\"return_url\":\"https://x.example\"}")
                        .json()
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asString())
                .isEqualTo("return_url");
        Api.Response malformed = api.post("/api/v1/payments", "{\"amount\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("code").asString()).isEqualTo("malformed_request");
        Api.Response unknown =
                api.post("/api/v1/payments", "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\",\"amout\":1}");
        assertThat(unknown.status()).isEqualTo(400);
    }

    /** A value of the wrong JSON type is refused by name, not coerced: 1.5 minutes is not cut to 1. */
    @Test
    void valuesOfTheWrongJsonTypeAreRefusedInTheApisWords() {
        String subject = "types-" + uniqueOrderNo();
        String head = "{\"subject\":\"" + subject + "\",\"method\":\"qr\",";
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put(head + "\"amount\":\"1.00\",\"expire_minutes\":1.5}", "expire_minutes: expected a whole number");
        bodies.put(head + "\"amount\":\"1.00\",\"expire_minutes\":\"10\"}", "expire_minutes: expected a whole number");
        bodies.put(head + "\"amount\":5}", "amount: expected a decimal string such as \"9.90\"");
        bodies.put(head + "\"amount\":\"1.00\",\"metadata\":[1,2]}", "metadata: expected an object");
        bodies.put(head + "\"amount\":\"1.00\",\"amout\":1}", "amout: unknown field");
        bodies.put("[1,2]", "expected a JSON object");
        for (Map.Entry<String, String> e : bodies.entrySet()) {
            Api.Response r = api.post("/api/v1/payments", e.getKey());
            assertThat(r.status()).as(e.getKey()).isEqualTo(400);
            assertThat(r.json().get("code").asString()).isEqualTo("malformed_request");
            assertThat(r.json().get("detail").asString())
                    .as(e.getKey())
                    .endsWith(e.getValue())
                    .doesNotContain("java.")
                    .doesNotContain("dev.zhifu")
                    .doesNotContain("`");
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM payments WHERE subject = ?")
                        .param(subject)
                        .query(Integer.class)
                        .single())
                .isZero();
        Api.Response refund = api.post("/api/v1/payments/pay_none/refunds", "{\"amount\":1}");
        assertThat(refund.status()).isEqualTo(400);
        assertThat(refund.json().get("detail").asString())
                .endsWith("amount: expected a decimal string such as \"9.90\"");
        // the same body with the values as the contract writes them is taken
        assertThat(api.post("/api/v1/payments", head + "\"amount\":\"1.00\",\"expire_minutes\":10}")
                        .status())
                .isEqualTo(201);
    }

    /** Ill-formed UTF-8 that Jackson alone would read as text: overlong "v", an encoded surrogate, a cut sequence. */
    @Test
    void bodiesThatAreNotValidUtf8AreMalformedAndCreateNothing() {
        String subject = "utf8-" + uniqueOrderNo();
        for (byte[] bad : List.of(
                new byte[] {(byte) 0xC1, (byte) 0xB6},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xE5, (byte) 0x92})) {
            byte[] head = ("{\"amount\":\"1.00\",\"method\":\"qr\",\"subject\":\"" + subject)
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] tail = "\"}".getBytes(StandardCharsets.US_ASCII);
            byte[] body = new byte[head.length + bad.length + tail.length];
            System.arraycopy(head, 0, body, 0, head.length);
            System.arraycopy(bad, 0, body, head.length, bad.length);
            System.arraycopy(tail, 0, body, head.length + bad.length, tail.length);
            Api.Response r = api.postBytes("/api/v1/payments", "application/json; charset=utf-8", body);
            assertThat(r.status()).as(java.util.HexFormat.of().formatHex(bad)).isEqualTo(400);
            assertThat(r.json().get("code").asString()).isEqualTo("malformed_request");
            assertThat(r.json().get("detail").asString()).contains("UTF-8");
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM payments WHERE subject LIKE ?")
                        .param(subject + "%")
                        .query(Integer.class)
                        .single())
                .isZero();
        // the same body, well formed, is taken
        assertThat(api.post(
                                "/api/v1/payments",
                                "{\"amount\":\"1.00\",\"method\":\"qr\",\"subject\":\"" + subject + "咖啡\"}")
                        .status())
                .isEqualTo(201);
    }

    @Test
    void sameIdempotencyKeyAndBodyReturnsTheFirstAnswer() {
        String key = "idem-" + uniqueOrderNo();
        String body = "{\"amount\":\"2.00\",\"subject\":\"Tea\",\"method\":\"qr\"}";
        Api.Response first = api.post("/api/v1/payments", body, key);
        Api.Response second = api.post("/api/v1/payments", body, key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(countPaymentsWithSubjectAndAmount("Tea", "2.00", first)).isEqualTo(1);
    }

    @Test
    void sameIdempotencyKeyWithAnotherBodyIs422() {
        String key = "idem-" + uniqueOrderNo();
        assertThat(api.post("/api/v1/payments", "{\"amount\":\"2.00\",\"subject\":\"Tea\",\"method\":\"qr\"}", key)
                        .status())
                .isEqualTo(201);
        Api.Response other =
                api.post("/api/v1/payments", "{\"amount\":\"3.00\",\"subject\":\"Tea\",\"method\":\"qr\"}", key);
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("code").asString()).isEqualTo("idempotency_key_reused");
    }

    @Test
    void concurrentRequestsWithOneKeyAreAnsweredOnce() throws Exception {
        String key = "idem-" + uniqueOrderNo();
        // no out_trade_no: without the key, each copy would create a payment of its own
        String body = "{\"amount\":\"7.00\",\"subject\":\"Tea\",\"method\":\"qr\"}";
        int copies = 8;
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        List<Api.Response> answers = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return api.post("/api/v1/payments", body, key);
                }));
            }
            start.countDown();
            for (Future<Api.Response> f : futures) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        Set<String> ids = new HashSet<>();
        for (Api.Response r : answers) {
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            ids.add(r.json().get("id").asString());
        }
        assertThat(ids).hasSize(1);
        assertThat(answers.stream()
                        .filter(r -> r.header("Idempotent-Replayed") == null)
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aClaimAbandonedByADeadRequestIsReleased() {
        String key = "idem-" + uniqueOrderNo();
        java.time.LocalDateTime longAgo =
                java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(30);
        jdbc.sql("INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, state, created_at, expires_at) "
                        + "VALUES ('POST /api/v1/payments', ?, 'whatever', 'IN_PROGRESS', ?, ?)")
                .params(key, longAgo, longAgo.plusHours(24))
                .update();
        Api.Response r =
                api.post("/api/v1/payments", "{\"amount\":\"2.00\",\"subject\":\"Tea\",\"method\":\"qr\"}", key);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    @Test
    void anExpiredAnswerNoLongerHoldsItsKey() {
        String key = "idem-" + uniqueOrderNo();
        java.time.LocalDateTime now = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC);
        jdbc.sql("INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, state, response_status, "
                        + "response_body, created_at, expires_at) "
                        + "VALUES ('POST /api/v1/payments', ?, 'another request', 'COMPLETED', 201, '{}', ?, ?)")
                .params(key, now.minusDays(3), now.minusDays(2))
                .update();
        Api.Response r =
                api.post("/api/v1/payments", "{\"amount\":\"2.10\",\"subject\":\"Tea\",\"method\":\"qr\"}", key);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.header("Idempotent-Replayed")).isNull();
        assertThat(r.json().get("amount").asString()).isEqualTo("2.10");
    }

    @Test
    void refundWithAnIdempotencyKeyRefundsOnce() {
        String no = uniqueOrderNo();
        String id = paidQr(no, "9.00");
        String key = "refund-" + uniqueOrderNo();
        Api.Response first = api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"2.00\"}", key);
        Api.Response again = api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"2.00\"}", key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(payment(id).get("refunded_amount").asString()).isEqualTo("2.00");
        assertThat(api.post("/api/v1/payments/" + id + "/refunds", "{\"amount\":\"3.00\"}", key)
                        .json()
                        .get("code")
                        .asString())
                .isEqualTo("idempotency_key_reused");
    }

    @Test
    void reusingAnOutTradeNoWithAnotherBodyIs409AndWithTheSameBodyReturnsThePayment() {
        String no = uniqueOrderNo();
        JsonNode first = createQr(no, "5.00");
        Api.Response same = api.post(
                "/api/v1/payments",
                "{\"out_trade_no\":\"" + no + "\",\"amount\":\"5.00\",\"subject\":\"Coffee\",\"method\":\"qr\"}");
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.json().get("id").asString()).isEqualTo(first.get("id").asString());
        Api.Response other = api.post(
                "/api/v1/payments",
                "{\"out_trade_no\":\"" + no + "\",\"amount\":\"6.00\",\"subject\":\"Coffee\",\"method\":\"qr\"}");
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.json().get("code").asString()).isEqualTo("out_trade_no_reused");
    }

    @Test
    void metadataTravelsToAlipayAsPassbackParams() {
        String no = uniqueOrderNo();
        JsonNode created =
                create("{\"out_trade_no\":\"" + no + "\",\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"app\","
                        + "\"metadata\":{\"cart\":[1,2],\"user\":\"李\"}}");
        String orderString = created.get("action").get("order_string").asString();
        String decoded = java.net.URLDecoder.decode(orderString, StandardCharsets.UTF_8);
        assertThat(decoded).contains("\"passback_params\":\"");
        String passback = decoded.replaceAll(".*\"passback_params\":\"([^\"]*)\".*", "$1");
        assertThat(java.net.URLDecoder.decode(passback, StandardCharsets.UTF_8))
                .isEqualTo("{\"cart\":[1,2],\"user\":\"李\"}");
    }

    @Test
    void openApiDescribesTheApiWithBearerKeys() {
        Api.Response docs = api.anonymous("GET", "/v3/api-docs", null, null);
        assertThat(docs.status()).isEqualTo(200);
        JsonNode json = docs.json();
        assertThat(json.get("paths").has("/api/v1/payments")).isTrue();
        assertThat(json.get("paths").has("/api/v1/payments/{id}/refunds")).isTrue();
        assertThat(json.get("components")
                        .get("securitySchemes")
                        .get("apiKey")
                        .get("scheme")
                        .asString())
                .isEqualTo("bearer");
        assertThat(json.get("components")
                        .get("schemas")
                        .get("Payment")
                        .get("properties")
                        .has("out_trade_no"))
                .isTrue();
        // the order a merchant meets the API in, and an example body for each documented error code
        assertThat(json.get("tags")
                        .valueStream()
                        .map(t -> t.get("name").asString())
                        .toList())
                .containsExactly("Payments", "Refunds", "Events", "Reconciliation");
        assertThat(json.get("paths").propertyNames().iterator().next()).isEqualTo("/api/v1/payments");
        JsonNode notFound = json.get("paths")
                .get("/api/v1/payments/{id}")
                .get("get")
                .get("responses")
                .get("404")
                .get("content")
                .get("application/problem+json");
        assertThat(notFound.get("examples")
                        .get("payment_not_found")
                        .get("value")
                        .get("code")
                        .asString())
                .isEqualTo("payment_not_found");
        JsonNode overRefund = json.get("paths")
                .get("/api/v1/payments/{id}/refunds")
                .get("post")
                .get("responses")
                .get("422")
                .get("content")
                .get("application/problem+json")
                .get("examples");
        assertThat(overRefund.has("refund_exceeds_remaining")).isTrue();
        assertThat(overRefund
                        .get("refund_exceeds_remaining")
                        .get("value")
                        .get("status")
                        .asInt())
                .isEqualTo(422);
        assertThat(api.anonymous("GET", "/actuator/health", null, null).status())
                .isEqualTo(200);
        postNotification("not a notification".getBytes(StandardCharsets.US_ASCII));
        assertThat(api.anonymous("GET", "/actuator/prometheus", null, null).status())
                .isEqualTo(401);
        assertThat(api.get("/actuator/prometheus").body())
                .contains("payments_notifications_received_total{channel=\"alipay\",result=\"malformed\"}");
    }

    private int countPaymentsWithSubjectAndAmount(String subject, String amount, Api.Response first) {
        return jdbc.sql("SELECT COUNT(*) FROM payments WHERE id = ?")
                .param(first.json().get("id").asString())
                .query(Integer.class)
                .single();
    }
}
