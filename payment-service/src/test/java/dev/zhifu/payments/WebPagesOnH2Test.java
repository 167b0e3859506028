package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.admin.AdminPassword;
import dev.zhifu.payments.admin.LoginThrottle;
import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.testing.OnH2;
import dev.zhifu.payments.testing.PageClient;
import dev.zhifu.payments.testing.ServiceSuite;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The demo shop and admin console over plain HTTP: the console needs a login, every POST its session's CSRF
 * token, logins are rate-limited, and whatever a merchant or buyer typed is shown as text.
 */
@OnH2
class WebPagesOnH2Test extends ServiceSuite {

    static final String HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";

    @Autowired
    PaymentsProperties settings;

    @Autowired
    LoginThrottle throttle;

    @AfterEach
    void forgetFailedLogins() {
        throttle.reset();
    }

    private String password() {
        return AdminPassword.demoPassword(settings.dataDir());
    }

    private PageClient loggedIn() {
        PageClient client = new PageClient(api.base());
        assertThat(client.logIn(password()).statusCode()).isEqualTo(302);
        return client;
    }

    @Test
    void everyConsolePageRedirectsToTheLoginPageWithoutALogin() {
        String id = paidQr(uniqueOrderNo(), "3.00");
        PageClient anonymous = new PageClient(api.base());
        for (String path : List.of(
                "/admin",
                "/admin/payments",
                "/admin/payments/" + id,
                "/admin/events",
                "/admin/reconciliations",
                "/admin/reconciliations/2025-01-01",
                "/admin/payments?status=PAID")) {
            HttpResponse<String> page = anonymous.get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(302);
            assertThat(page.headers().firstValue("Location").orElseThrow())
                    .as(path)
                    .startsWith("/admin/login?next=%2Fadmin");
            assertThat(page.body()).as(path).doesNotContain("3.00");
        }
    }

    @Test
    void aRefundPostedWithoutALoginChangesNothing() {
        String id = paidQr(uniqueOrderNo(), "4.00");
        PageClient anonymous = new PageClient(api.base());
        String token = PageClient.csrfOf(anonymous.get("/admin/login")); // a session, a token, but no login
        HttpResponse<String> refund = anonymous.post(
                "/admin/payments/" + id + "/refund/confirm", Map.of("_csrf", token, "amount", "4.00", "ticket", "x"));
        assertThat(refund.statusCode()).isEqualTo(303);
        assertThat(refund.headers().firstValue("Location").orElseThrow()).startsWith("/admin/login");
        assertThat(payment(id).get("refunded_amount").asString()).isEqualTo("0.00");
    }

    @Test
    void loginNeedsTheTokenOfItsSessionAndTheRightPassword() {
        PageClient client = new PageClient(api.base());
        String token = PageClient.csrfOf(client.get("/admin/login"));
        assertThat(client.post("/admin/login", Map.of("password", password())).statusCode())
                .isEqualTo(403);
        assertThat(client.post("/admin/login", Map.of("_csrf", "forged", "password", password()))
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> wrong = client.post("/admin/login", Map.of("_csrf", token, "password", "guess"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong password");

        HttpResponse<String> right =
                client.post("/admin/login", Map.of("_csrf", token, "password", password(), "next", "/admin/events"));
        assertThat(right.statusCode()).isEqualTo(302);
        assertThat(right.headers().firstValue("Location").orElseThrow()).endsWith("/admin/events");
        String cookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("JSESSIONID=").contains("HttpOnly").containsIgnoringCase("SameSite=Lax");
        assertThat(client.get("/admin").statusCode()).isEqualTo(200);
    }

    @Test
    void anOffsiteNextTargetIsIgnored() {
        PageClient client = new PageClient(api.base());
        String token = PageClient.csrfOf(client.get("/admin/login"));
        HttpResponse<String> login = client.post(
                "/admin/login", Map.of("_csrf", token, "password", password(), "next", "//evil.example/admin"));
        assertThat(login.headers().firstValue("Location").orElseThrow())
                .endsWith("/admin")
                .doesNotContain("evil");
    }

    @Test
    void everyConsolePostNeedsTheSessionsCsrfToken() {
        String id = paidQr(uniqueOrderNo(), "6.00");
        PageClient admin = loggedIn();
        HttpResponse<String> page = admin.get("/admin/payments/" + id);
        String token = PageClient.csrfOf(page);

        assertThat(admin.post("/admin/payments/" + id + "/refund", Map.of("amount", "1.00"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(admin.post("/admin/payments/" + id + "/refund", Map.of("amount", "1.00", "_csrf", token + "x"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(admin.post("/admin/payments/" + id + "/sync", Map.of()).statusCode())
                .isEqualTo(403);
        assertThat(admin.post("/admin/logout", Map.of()).statusCode()).isEqualTo(403);
        PageClient other = loggedIn(); // another session's token is no good either
        String otherToken = PageClient.csrfOf(other.get("/admin/payments/" + id));
        assertThat(admin.post("/admin/payments/" + id + "/refund", Map.of("amount", "1.00", "_csrf", otherToken))
                        .statusCode())
                .isEqualTo(403);
        assertThat(payment(id).get("refunded_amount").asString()).isEqualTo("0.00");

        HttpResponse<String> confirm =
                admin.post("/admin/payments/" + id + "/refund", Map.of("amount", "1.00", "_csrf", token));
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body()).contains("Refund ¥1.00");
        assertThat(payment(id).get("refunded_amount").asString())
                .as("asking is not doing")
                .isEqualTo("0.00");
    }

    @Test
    void theDemoShopsCheckoutNeedsItsCsrfTokenToo() {
        PageClient buyer = new PageClient(api.base());
        assertThat(buyer.get("/").statusCode()).isEqualTo(200);
        HttpResponse<String> forged = buyer.post("/demo/checkout", Map.of("product", "coffee", "method", "qr"));
        assertThat(forged.statusCode()).isEqualTo(403);
        String token = PageClient.csrfOf(buyer.get("/demo/checkout?product=coffee"));
        HttpResponse<String> bought =
                buyer.post("/demo/checkout", Map.of("product", "coffee", "method", "qr", "_csrf", token));
        assertThat(bought.statusCode()).isEqualTo(303);
        assertThat(bought.headers().firstValue("Location").orElseThrow()).contains("/demo/orders/demo-");
    }

    @Test
    void aConfirmedRefundIsMadeOnceEvenWhenConfirmedTwice() {
        String id = paidQr(uniqueOrderNo(), "8.00");
        PageClient admin = loggedIn();
        String token = PageClient.csrfOf(admin.get("/admin/payments/" + id));
        HttpResponse<String> confirm = admin.post(
                "/admin/payments/" + id + "/refund", Map.of("amount", "4.00", "reason", "half", "_csrf", token));
        String ticket = confirm.body().replaceAll("(?s).*name=\"ticket\" value=\"([^\"]+)\".*", "$1");
        Map<String, String> yes = Map.of("amount", "4.00", "reason", "half", "ticket", ticket, "_csrf", token);
        assertThat(admin.post("/admin/payments/" + id + "/refund/confirm", yes).statusCode())
                .isEqualTo(302);
        assertThat(admin.get("/admin/payments/" + id).body()).contains("Refunded ¥4.00.");
        assertThat(admin.post("/admin/payments/" + id + "/refund/confirm", yes).statusCode())
                .isEqualTo(302);
        assertThat(payment(id).get("refunded_amount").asString()).isEqualTo("4.00");
        assertThat(api.get("/api/v1/payments/" + id + "/refunds").json().get("data"))
                .hasSize(1);
        assertThat(admin.get("/admin/payments/" + id).body()).contains("already used");
    }

    @Test
    void hostileSubjectsAreShownAsText() {
        JsonNode created = create("{\"out_trade_no\":\"" + uniqueOrderNo() + "\",\"amount\":\"1.00\",\"subject\":"
                + "\"<script>alert(1)</script><img src=x onerror=alert(2)>\\\"'&\",\"method\":\"qr\","
                + "\"metadata\":{\"shop\":\"demo\",\"note\":\"</script><b>bold</b>\"}}");
        String id = created.get("id").asString();
        String no = created.get("out_trade_no").asString();
        PageClient admin = loggedIn();
        // (the dashboard's "latest" list depends on what other suites sharing this database made, so not checked here)
        for (String path : List.of("/admin/payments/" + id, "/admin/payments?q=" + no, "/demo/orders/" + no)) {
            HttpResponse<String> page = admin.get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.body())
                    .as(path)
                    .contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;")
                    .doesNotContain("<script>alert(1)")
                    .doesNotContain("<img src=x")
                    .doesNotContain("<b>bold");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("default-src 'self'");
        }
    }

    @Test
    void loginAttemptsAreRateLimitedPerAddress() {
        PageClient client = new PageClient(api.base());
        String token = PageClient.csrfOf(client.get("/admin/login"));
        for (int i = 0; i < 5; i++) {
            assertThat(client.post("/admin/login", Map.of("_csrf", token, "password", "guess-" + i))
                            .statusCode())
                    .isEqualTo(401);
        }
        HttpResponse<String> refused = client.post("/admin/login", Map.of("_csrf", token, "password", password()));
        assertThat(refused.statusCode())
                .as("even the right password, while throttled")
                .isEqualTo(429);
        assertThat(refused.body()).contains("Too many failed attempts");
        assertThat(client.get("/admin").statusCode()).isEqualTo(302);
    }

    @Test
    void pagesSpeakTheBrowsersLanguage() {
        HttpResponse<String> zh =
                new PageClient(api.base()).language("zh-CN,zh;q=0.9,en;q=0.8").get("/admin/login");
        assertThat(zh.body())
                .contains("lang=\"zh-CN\"")
                .contains("管理后台")
                .contains("密码")
                .contains("登录");
        HttpResponse<String> en =
                new PageClient(api.base()).language("en-US,en;q=0.9").get("/admin/login");
        assertThat(en.body()).contains("lang=\"en\"").contains("Password").doesNotContain("密码");
        HttpResponse<String> shop = new PageClient(api.base()).language("zh-TW").get("/");
        assertThat(shop.body()).contains("演示商店").contains("手冲咖啡");
        PageClient chosen = new PageClient(api.base()).language("en");
        assertThat(chosen.get("/?lang=zh-CN").body()).contains("演示商店");
        assertThat(chosen.get("/").body()).as("the choice is remembered").contains("演示商店");
    }

    @Test
    void aDayNeverReconciledSaysSo() {
        PageClient admin = loggedIn();
        HttpResponse<String> days = admin.get("/admin/reconciliations");
        assertThat(days.statusCode()).isEqualTo(200);
        assertThat(days.body()).contains("<table id=\"days\">");
        assertThat(admin.get("/admin/reconciliations/2016-01-02").body()).contains("This day has not been reconciled.");
    }

    @Test
    void theChineseConsoleTranslatesEveryStatusAndTheMethodOfAPayment() {
        String id = paidQr(uniqueOrderNo(), "8.00");
        refundInFull(id, "8.00");
        PageClient admin = new PageClient(api.base()).language("zh-CN,zh;q=0.9");
        assertThat(admin.logIn(password()).statusCode()).isEqualTo(302);
        String page = admin.get("/admin/payments/" + id).body();
        assertThat(page).contains("创建（扫码支付）").doesNotContain("创建（qr）").contains(">已退款<", ">退款成功<", ">已处理<", ">未投递<");
        assertThat(badges(page)).isNotEmpty().noneMatch(b -> b.matches(".*[A-Z_]{4,}.*"));
        String days = admin.get("/admin/reconciliations").body();
        assertThat(days).contains("对今天截至目前的交易对账");
        assertThat(badges(days)).noneMatch(b -> b.matches(".*[A-Z_]{4,}.*"));
        assertThat(admin.get("/admin").body()).contains("页面时间为 Asia/Shanghai, UTC+08:00（API 与日志为 UTC）");
    }

    /** The words shown in the page's status badges. */
    private static List<String> badges(String html) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("class=\"badge[^\"]*\"[^>]*>([^<]*)<")
                .matcher(html);
        List<String> badges = new java.util.ArrayList<>();
        while (m.find()) {
            badges.add(m.group(1));
        }
        return badges;
    }

    @Test
    void theTimelineShortensARedirectAndKeepsTheWholeUrlOnDemand() {
        JsonNode created = create("{\"out_trade_no\":\"" + uniqueOrderNo() + "\",\"amount\":\"12.00\","
                + "\"subject\":\"Shoes\",\"method\":\"page\",\"return_url\":\"http://127.0.0.1/back\"}");
        String url = created.get("action").get("url").asString();
        java.net.URI gateway = java.net.URI.create(url);
        String page = loggedIn()
                .get("/admin/payments/" + created.get("id").asString())
                .body();
        String line = page.substring(
                page.indexOf("<li class=\"created\""), page.indexOf("</li>", page.indexOf("<li class=\"created\"")));
        assertThat(line)
                .contains("Created (Alipay on a computer)")
                .contains("redirect: GET " + gateway.getAuthority() + "/sandbox/gateway.do · alipay.trade.page.pay")
                .contains("<summary>Whole URL and its decoded parameters</summary>");
        String detail = line.substring(line.indexOf("class=\"detail\""), line.indexOf("<details"));
        assertThat(detail).doesNotContain("sign=");
        assertThat(line.substring(line.indexOf("<details")))
                .contains(url.replace("&", "&amp;"))
                .contains("<td>method</td>");
    }

    @Test
    void withoutAWebhookUrlAnEventSaysItIsNotSentRatherThanPendingForever() {
        String id = paidQr(uniqueOrderNo(), "2.50");
        PageClient admin = loggedIn();
        String events = admin.get("/admin/events").body();
        String row = events.substring(events.indexOf("<td><a class=\"mono small\" href=\"/admin/payments/" + id));
        row = row.substring(0, row.indexOf("</tr>"));
        assertThat(row)
                .contains("data-state=\"NOT_SENT\"", ">Not sent<", "no webhook URL is configured")
                .doesNotContain("next attempt");
        assertThat(admin.get("/admin/payments/" + id).body()).contains("data-state=\"NOT_SENT\"");
    }

    @Test
    void todaysPaymentsAreReconciledSoFarAgainstTheSandboxsBill() {
        String id = paidQr(uniqueOrderNo(), "5.50");
        PageClient admin = loggedIn();
        HttpResponse<String> days = admin.get("/admin/reconciliations");
        String today = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.ofHours(8))
                .toString();
        assertThat(days.body()).contains("Reconcile today so far (" + today + ")");
        HttpResponse<String> ran =
                admin.post("/admin/reconciliations/" + today + "/run", Map.of("_csrf", PageClient.csrfOf(days)));
        assertThat(ran.headers().firstValue("Location").orElseThrow()).endsWith("/admin/reconciliations/" + today);
        String day = admin.get("/admin/reconciliations/" + today).body();
        assertThat(day).contains("data-status=\"RECONCILED\"", ">Reconciled<");
        assertThat(admin.get("/admin/reconciliations").body()).contains(">" + today + "<", "(so far)");
        assertThat(payment(id).get("status").asString()).isEqualTo("PAID");
    }

    @Test
    void anOverRefundIsRefusedBeforeTheConfirmationPage() {
        String id = paidQr(uniqueOrderNo(), "3.00");
        PageClient admin = loggedIn();
        HttpResponse<String> asked = admin.post(
                "/admin/payments/" + id + "/refund",
                Map.of("amount", "3.01", "_csrf", PageClient.csrfOf(admin.get("/admin/payments/" + id))));
        assertThat(asked.statusCode()).isEqualTo(302);
        assertThat(admin.get("/admin/payments/" + id).body())
                .contains("That is more than what is left to refund:", "¥3.00");
        assertThat(payment(id).get("refunded_amount").asString()).isEqualTo("0.00");
    }

    @Test
    void theOrderStatusEndpointShowsTheStoredState() {
        PageClient buyer = new PageClient(api.base());
        String token = PageClient.csrfOf(buyer.get("/demo/checkout?product=tea"));
        String location = buyer.post("/demo/checkout", Map.of("product", "tea", "method", "qr", "_csrf", token))
                .headers()
                .firstValue("Location")
                .orElseThrow();
        String no = location.substring(location.lastIndexOf('/') + 1);
        assertThat(buyer.get("/demo/orders/" + no + "/status").body()).contains("\"status\":\"PENDING\"");
        sandbox.pay(no);
        await(
                () -> buyer.get("/demo/orders/" + no + "/status").body().contains("\"notifications\":1"),
                java.time.Duration.ofSeconds(30),
                () -> "no notification for " + no);
        assertThat(buyer.get("/demo/orders/" + no + "/status").body()).contains("\"status\":\"PAID\"");
        assertThat(buyer.get("/demo/orders/" + no + "/qr.svg").statusCode())
                .as("no QR code once paid")
                .isEqualTo(404);
    }

    @Test
    void thePaymentListFiltersByOrderNumberStatusAndMethodAndPages() {
        String prefix = "f-" + dev.zhifu.payments.storage.Ids.random(8);
        String paid = paidQr(prefix + "-1", "1.00");
        createQr(prefix + "-2", "2.00");
        createQr(prefix + "-3", "3.00");
        PageClient admin = loggedIn();
        String all = admin.get("/admin/payments?q=" + prefix).body();
        assertThat(all).contains(prefix + "-1", prefix + "-2", prefix + "-3").contains("3 in all");
        String onlyPaid = admin.get("/admin/payments?q=" + prefix + "&status=PAID&method=qr")
                .body();
        assertThat(onlyPaid)
                .contains("row-" + paid)
                .doesNotContain(prefix + "-2")
                .contains("1 in all");
        assertThat(admin.get("/admin/payments?q=" + prefix + "&method=page").body())
                .contains("No payments match");
        String today =
                java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
        assertThat(admin.get("/admin/payments?q=" + prefix + "&from=" + today + "&to=" + today)
                        .body())
                .contains("3 in all");
        assertThat(admin.get("/admin/payments?q=" + prefix + "&to=2020-01-01").body())
                .contains("No payments match");
    }

    @Test
    void anAdminClosesAPendingPaymentAfterConfirming() {
        String id = createQr(uniqueOrderNo(), "5.00").get("id").asString();
        PageClient admin = loggedIn();
        String token = PageClient.csrfOf(admin.get("/admin/payments/" + id));
        HttpResponse<String> confirm = admin.post("/admin/payments/" + id + "/close", Map.of("_csrf", token));
        assertThat(confirm.body()).contains("Yes, close it");
        assertThat(payment(id).get("status").asString()).isEqualTo("PENDING");
        String ticket = confirm.body().replaceAll("(?s).*name=\"ticket\" value=\"([^\"]+)\".*", "$1");
        admin.post("/admin/payments/" + id + "/close/confirm", Map.of("_csrf", token, "ticket", ticket));
        assertThat(payment(id).get("status").asString()).isEqualTo("CLOSED");
        assertThat(admin.get("/admin/payments/" + id).body()).contains("Closed.");
    }

    @Test
    void theOrderPageShowsOnlyTheShopsOwnOrders() {
        String no = uniqueOrderNo();
        createQr(no, "2.00");
        assertThat(new PageClient(api.base()).get("/demo/orders/" + no).statusCode())
                .isEqualTo(404);
    }
}
