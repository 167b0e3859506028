package dev.zhifu.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service as an outsider meets it: the real jar in demo mode (the mode with the most public paths). Every
 * endpoint it maps is read at run time from its own {@code /actuator/mappings}, so a new endpoint cannot be
 * forgotten, and requested without credentials (and with a wrong key) in many spellings of its path and with
 * every method. Outside the public list the only acceptable answers are 400, 401, 403, 404, 405, or a redirect
 * to the console's login page. A refund through a spelling that once slipped past the key check must not
 * happen; with the key it does.
 */
class AttackerIT {

    /** The public list of SECURITY.md, for demo mode; a path is public when a prefix or an exact name matches. */
    static final List<String> PUBLIC_EXACT = List.of(
            "/",
            "/notify/alipay",
            "/notify/wechatpay",
            "/return/alipay",
            "/favicon.ico",
            "/error",
            "/v3/api-docs",
            "/swagger-ui.html",
            "/actuator/health",
            "/admin/login");

    static final List<String> PUBLIC_PREFIXES = List.of(
            "/demo/",
            "/sandbox/",
            "/pay/", // the any_qr page, /pay/{id}: one segment (DenyByDefaultTest pins that nothing below it is open)
            "/css/",
            "/js/",
            "/v3/api-docs/",
            "/swagger-ui/",
            "/actuator/health/");
    static final Set<Integer> DENIALS = Set.of(400, 401, 403, 404, 405);
    static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

    static ServiceProcess service;
    static RawHttp raw;
    static String apiKey;

    @BeforeAll
    static void start() throws Exception {
        Path jar = Path.of(System.getProperty("loadtest.service-jar", "../payment-service/target/payment-service.jar"));
        Path work = Files.createDirectories(Path.of(System.getProperty("loadtest.work-dir", "target/it-work")))
                .resolve("attacker-" + System.currentTimeMillis());
        Path data = work.resolve("data");
        DemoKeyFiles.generate(data);
        service = ServiceProcess.start(new ServiceProcess.Spec(
                jar,
                ServiceProcess.freePort(),
                data,
                // the mappings endpoint, behind the API key like every actuator endpoint but health, lists the routes
                List.of(
                        "--management.endpoints.web.exposure.include=health,prometheus,mappings",
                        "--payments.notify.refusals-per-minute=1000000",
                        "--payments.notify.refusal-burst=1000000"),
                List.of("-Xmx384m"),
                work.resolve("service.log")));
        service.awaitReady(Duration.ofSeconds(120));
        raw = new RawHttp(service.spec().port());
        apiKey = DemoKeyFiles.apiKey(data);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void noSpellingOfAnyNonPublicEndpointAnswersWithoutCredentials() {
        RawHttp.Response mappings = raw.send("GET", "/actuator/mappings", auth(apiKey), null);
        assertThat(mappings.status()).as(mappings.text()).isEqualTo(200);
        Set<String> endpoints = endpoints(mappings.text());
        // the enumeration itself must see the endpoints we know of, or it proves nothing
        assertThat(endpoints)
                .contains(
                        "/api/v1/payments/x1/refunds",
                        "/api/v1/payments",
                        "/admin/payments/x1",
                        "/api/v1/reconciliations/2026-01-01/run",
                        "/actuator/prometheus",
                        "/notify/alipay",
                        "/sandbox/x1");

        Map<String, Integer> answers = new TreeMap<>();
        List<String> leaks = new ArrayList<>();
        int requests = 0;
        for (String endpoint : endpoints) {
            if (isPublic(endpoint)) {
                continue;
            }
            for (String spelling : spellings(endpoint)) {
                for (String method : METHODS) {
                    // a wrong key too, for the methods that reach handlers most often
                    List<Map<String, byte[]>> tries = method.equals("GET") || method.equals("POST")
                            ? List.of(Map.of(), auth("sk_wrong_key"))
                            : List.of(Map.of());
                    for (Map<String, byte[]> credentials : tries) {
                        RawHttp.Response r = raw.send(method, spelling, withBody(credentials, method), body(method));
                        requests++;
                        answers.merge(r.status() + "", 1, Integer::sum);
                        if (!denied(r)) {
                            leaks.add(method + " " + spelling + (credentials.isEmpty() ? "" : " (wrong key)") + " -> "
                                    + r.status() + " " + r.headers().get("location") + " " + head(r.text()));
                        }
                    }
                }
            }
        }
        System.out.printf(
                "[attacker] %d endpoints, %d requests without valid credentials; answers %s%n",
                endpoints.size(), requests, answers);
        assertThat(leaks).as("answered without credentials").isEmpty();
    }

    @Test
    void aRefundNeedsAValidKeyWhateverThePathSpelling() throws Exception {
        String order = "attack-" + System.nanoTime();
        RawHttp.Response created = raw.send(
                "POST",
                "/api/v1/payments",
                json(auth(apiKey)),
                ("{\"out_trade_no\":\"" + order + "\",\"amount\":\"5.00\",\"subject\":\"Tea\",\"method\":\"qr\"}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = Json.object(created.text()).get("id").toString();
        assertThat(raw.send("POST", "/sandbox/trades/" + order + "/pay", Map.of(), new byte[0])
                        .status())
                .isEqualTo(200);
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!status(id).equals("PAID")) {
            assertThat(System.nanoTime()).as("never paid").isLessThan(until);
            Thread.sleep(100);
        }

        byte[] refund = "{\"amount\":\"5.00\",\"reason\":\"attack\"}".getBytes(StandardCharsets.UTF_8);
        for (String spelling : spellings("/api/v1/payments/" + id + "/refunds")) {
            RawHttp.Response r = raw.send("POST", spelling, json(Map.of()), refund);
            assertThat(r.status()).as("POST " + spelling + ": " + r.text()).isIn(400, 401, 403, 404);
        }
        assertThat(status(id)).isEqualTo("PAID");
        RawHttp.Response listed = raw.send("GET", "/api/v1/payments/" + id + "/refunds", auth(apiKey), null);
        assertThat(listed.text()).contains("\"data\":[]");

        RawHttp.Response keyed = raw.send("POST", "/api/v1/payments/" + id + "/refunds", json(auth(apiKey)), refund);
        assertThat(keyed.status()).as(keyed.text()).isEqualTo(201);
    }

    /**
     * {@code /notify/wechatpay} is public, so its own spellings must reach that endpoint or nothing: with every
     * method and an unsigned body, never a 5xx, never a success, never a redirect; only the notification's refusal
     * ({@code {"code":"FAIL",…}}), a denial, or an empty answer to OPTIONS.
     */
    @Test
    void spellingsOfTheWechatPayNotificationReachNothingElse() {
        Set<String> spellings = new LinkedHashSet<>(spellings("/notify/wechatpay"));
        spellings.addAll(List.of(
                "//notify//wechatpay",
                "/notify//wechatpay",
                "/notify/wechatpay//",
                "/notify/wechatpay/.",
                "/notify/wechatpay/..;/../api/v1/payments",
                "/notify/wechatpay/..;/../admin/payments",
                "/notify/wechatpay/..;/../actuator/prometheus",
                "/notify/wechatpay/%2e%2e/%2e%2e/api/v1/payments",
                "/notify/wechatpay/%252e%252e/%252e%252e/api/v1/payments",
                "/notify/wechatpay%2F..%2F..%2Fapi%2Fv1%2Fpayments",
                "/notify/wechatpay%5C..%5C..%5Capi%5Cv1%5Cpayments",
                "/notify/%77%65%63%68%61%74%70%61%79",
                "/notify/wechatpay%3B",
                "/notify/wechatpay%20",
                "/notify/wechatpay.json",
                "/notify/wechatpay;jsessionid=1",
                "/notify/wechatpay/x1",
                "/notify/WeChatPay",
                "/notify/wechatpay?/../../api/v1/payments"));
        byte[] body = "{\"id\":\"x\",\"event_type\":\"TRANSACTION.SUCCESS\",\"resource\":{}}"
                .getBytes(StandardCharsets.UTF_8);
        Map<String, Integer> answers = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        int requests = 0;
        for (String spelling : spellings) {
            for (String method : METHODS) {
                boolean hasBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
                RawHttp.Response r =
                        raw.send(method, spelling, hasBody ? json(Map.of()) : Map.of(), hasBody ? body : null);
                requests++;
                answers.merge(r.status() + "", 1, Integer::sum);
                boolean fine = DENIALS.contains(r.status())
                        || r.status() == 413
                        || (method.equals("OPTIONS") && r.status() == 200 && r.body().length == 0);
                if (!fine) {
                    wrong.add(method + " " + spelling + " -> " + r.status() + " "
                            + r.headers().get("location") + " " + head(r.text()));
                }
            }
        }
        System.out.printf(
                "[attacker] %d spellings of /notify/wechatpay, %d requests; answers %s%n",
                spellings.size(), requests, answers);
        assertThat(wrong)
                .as("spellings of /notify/wechatpay answered other than by a refusal")
                .isEmpty();
    }

    // --- what an endpoint is, and how an attacker spells it

    /** Every route the running service maps, as a concrete path (variables and wildcards filled in). */
    static Set<String> endpoints(String mappingsJson) {
        Set<String> found = new LinkedHashSet<>();
        // request-mapping patterns ("patterns":[...]) and handler predicates such as resource locations
        Matcher patterns = Pattern.compile("\"patterns\"\\s*:\\s*\\[([^\\]]*)]").matcher(mappingsJson);
        while (patterns.find()) {
            Matcher each = Pattern.compile("\"([^\"]+)\"").matcher(patterns.group(1));
            while (each.find()) {
                found.add(concrete(each.group(1)));
            }
        }
        Matcher predicates =
                Pattern.compile("\"predicate\"\\s*:\\s*\"(/[^\"]*)\"").matcher(mappingsJson);
        while (predicates.find()) {
            found.add(concrete(predicates.group(1)));
        }
        // servlets other than the dispatcher (the demo's sandbox)
        Matcher servlets = Pattern.compile("\"mappings\"\\s*:\\s*\\[([^\\]]*)]").matcher(mappingsJson);
        while (servlets.find()) {
            Matcher each = Pattern.compile("\"(/[^\"]*)\"").matcher(servlets.group(1));
            while (each.find()) {
                found.add(concrete(each.group(1)));
            }
        }
        found.remove("");
        return found;
    }

    static String concrete(String pattern) {
        String path = pattern.replaceAll("\\{date}", "2026-01-01")
                .replaceAll("\\{[^}]*}", "x1")
                .replace("/**", "/x1")
                .replace("**", "x1")
                .replace("/*", "/x1")
                .replace("*", "x1");
        return path.isEmpty() ? "/" : path;
    }

    static boolean isPublic(String path) {
        return PUBLIC_EXACT.contains(path) || PUBLIC_PREFIXES.stream().anyMatch(path::startsWith);
    }

    /** The path as it is, and as tricks spell it that some layer might read as the same path. */
    static List<String> spellings(String path) {
        String[] segments = path.substring(1).split("/", -1);
        String first = segments[0];
        String rest = path.substring(1 + first.length());
        Set<String> out = new LinkedHashSet<>();
        out.add(path);
        out.add(path + "/");
        out.add("/" + first + ";x" + rest);
        out.add("/" + first + ";" + rest);
        out.add("/" + String.join(";/", segments) + ";");
        out.add("/" + String.join(";jsessionid=1/", segments));
        out.add("/%" + Integer.toHexString(first.charAt(0)) + first.substring(1) + rest);
        out.add("/" + percentAll(first) + rest);
        out.add("/" + path);
        out.add(path.replaceFirst("/", "//").replace("/" + first + "/", "/" + first + "//"));
        out.add("/./" + path.substring(1));
        out.add("/" + first + "/." + rest);
        out.add("/x/.." + path);
        out.add("/css/.." + path);
        out.add("/notify/alipay/../.." + path);
        // from the other public notification endpoint: dot segments, Tomcat's ";" path parameters, encoded dots
        // and slashes, doubled slashes (docs/rest-api.md#notify-wechatpay)
        out.add("/notify/wechatpay/../.." + path);
        out.add("/notify/wechatpay/..;/.." + path);
        out.add("/notify/wechatpay;x/../.." + path);
        out.add("/notify/wechatpay/%2e%2e/%2e%2e" + path);
        out.add("/notify/wechatpay%2f..%2f.." + path);
        out.add("//notify//wechatpay/../.." + path);
        out.add("/%2e" + path);
        out.add("/css/%2e%2e" + path);
        out.add("/" + first.toUpperCase(Locale.ROOT) + rest);
        out.add(path.toUpperCase(Locale.ROOT));
        out.add("/" + first + "%2F" + rest.substring(Math.min(1, rest.length())));
        out.add("/" + first + "%2f" + rest.substring(Math.min(1, rest.length())));
        out.add("/" + first + "%5C" + rest.substring(Math.min(1, rest.length())));
        out.add(path + "%00");
        out.add("/%25" + Integer.toHexString(first.charAt(0)) + first.substring(1) + rest);
        out.add(path + "?x=1");
        out.add(path + "#frag");
        return new ArrayList<>(out);
    }

    private static String percentAll(String segment) {
        StringBuilder s = new StringBuilder();
        for (char c : segment.toCharArray()) {
            s.append('%').append(String.format("%02X", (int) c));
        }
        return s.toString();
    }

    /** A denial: one of the refusal statuses, or the console sending the visitor to its login page. */
    static boolean denied(RawHttp.Response r) {
        if (DENIALS.contains(r.status())) {
            return true;
        }
        String location = r.headers().getOrDefault("location", "");
        return (r.status() == 302 || r.status() == 303) && location.matches("(https?://[^/]+)?/admin/login(\\?.*)?");
    }

    private String status(String id) {
        return Json.object(raw.send("GET", "/api/v1/payments/" + id, auth(apiKey), null)
                        .text())
                .get("status")
                .toString();
    }

    private static Map<String, byte[]> auth(String key) {
        return Map.of("Authorization", ("Bearer " + key).getBytes(StandardCharsets.US_ASCII));
    }

    private static Map<String, byte[]> json(Map<String, byte[]> headers) {
        Map<String, byte[]> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json".getBytes(StandardCharsets.US_ASCII));
        return all;
    }

    private static Map<String, byte[]> withBody(Map<String, byte[]> headers, String method) {
        return body(method) == null ? headers : json(headers);
    }

    private static byte[] body(String method) {
        return switch (method) {
            case "POST", "PUT", "PATCH" ->
                "{\"amount\":\"1.00\",\"subject\":\"x\",\"method\":\"qr\"}".getBytes(StandardCharsets.UTF_8);
            default -> null;
        };
    }

    private static String head(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }
}
