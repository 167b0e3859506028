package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.admin.AdminPassword;
import dev.zhifu.payments.admin.LoginThrottle;
import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.testing.Api;
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
        // newest first: events other suites dated ahead (their clocks travel) may come before this one
        String marker = "<td><a class=\"mono small\" href=\"/admin/payments/" + id;
        String events = "";
        for (int page = 1; page <= 50 && !events.contains(marker); page++) {
            events = admin.get("/admin/events?page=" + page).body();
        }
        String row = events.substring(events.indexOf(marker));
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

    static final String ALIPAY_APP = "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Mobile Safari/537.36 AlipayClient/10.5.96.8000 Language/zh-Hans";
    static final String WECHAT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";

    private JsonNode createAnyQr(String outTradeNo, String amount) {
        return create("{\"out_trade_no\":\"" + outTradeNo + "\",\"amount\":\"" + amount
                + "\",\"subject\":\"Coffee\",\"method\":\"any_qr\"}");
    }

    /** The buyer pays a WeChat Pay code_url on the sandbox's page; the service learns of it by a sync. */
    private JsonNode payInWechatSandbox(String paymentId, String codeUrl) {
        assertThat(api.open(codeUrl).status()).isEqualTo(200); // scanned
        String prepayId = codeUrl.substring(codeUrl.lastIndexOf('/') + 1);
        Api.Response paid = api.anonymous(
                "POST", "/sandbox/wechat/pay/" + prepayId, "application/x-www-form-urlencoded", new byte[0]);
        assertThat(paid.status()).as(paid.body()).isEqualTo(200);
        // until WeChat Pay's notifications are received here, a sync (or the background one) finds it paid
        Api.Response synced = api.post("/api/v1/payments/" + paymentId + "/sync", "");
        assertThat(synced.status()).as(synced.body()).isEqualTo(200);
        return awaitStatus(paymentId, "PAID");
    }

    /** The value of an attribute in the first tag with {@code id="id"}. */
    private static String attribute(String html, String id, String attribute) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<[^>]*\\bid=\"" + id + "\"[^>]*>")
                .matcher(html);
        assertThat(m.find()).as("no #" + id).isTrue();
        java.util.regex.Matcher a = java.util.regex.Pattern.compile("\\b" + attribute + "=\"([^\"]*)\"")
                .matcher(m.group());
        assertThat(a.find()).as("no " + attribute + " in #" + id).isTrue();
        return org.springframework.web.util.HtmlUtils.htmlUnescape(a.group(1));
    }

    @Test
    void theAnyQrPageSendsAlipayToItsCashierShowsWechatItsCodeAndTellsOthersToScan() {
        JsonNode created = createAnyQr(uniqueOrderNo(), "7.00");
        String id = created.get("id").asString();
        assertThat(created.get("action").get("qr_code").asString()).endsWith("/pay/" + id);

        HttpResponse<String> alipay =
                new PageClient(api.base()).userAgent(ALIPAY_APP).get("/pay/" + id);
        assertThat(alipay.statusCode()).isEqualTo(303);
        String cashier = alipay.headers().firstValue("Location").orElseThrow();
        assertThat(cashier).contains("/sandbox/gateway.do").contains("alipay.trade.wap.pay");
        Api.Response gateway = api.open(cashier);
        assertThat(gateway.status()).as(gateway.body()).isIn(200, 302, 303); // on to the sandbox's mobile cashier

        HttpResponse<String> wechat =
                new PageClient(api.base()).userAgent(WECHAT).get("/pay/" + id);
        assertThat(wechat.statusCode()).isEqualTo(200);
        assertThat(wechat.body())
                .contains("data-page=\"wechat\"", "Long-press the QR code")
                .doesNotContain("id=\"follow\""); // the real WeChat reads the picture
        assertThat(attribute(wechat.body(), "wechat-qr", "src")).startsWith("data:image/svg+xml;base64,");
        HttpResponse<String> wechatZh = new PageClient(api.base())
                .language("zh-CN,zh")
                .userAgent(WECHAT)
                .get("/pay/" + id);
        assertThat(wechatZh.body()).contains("长按二维码", "微信支付");

        HttpResponse<String> other = new PageClient(api.base()).get("/pay/" + id);
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body())
                .contains("data-page=\"choose\"", "Scan with Alipay or WeChat", "¥<span id=\"amount\">7.00</span>")
                .contains("id=\"as-alipay\"", "id=\"as-wechat\""); // demo mode: the browser may play a wallet
        assertThat(attribute(other.body(), "as-wechat", "href")).isEqualTo("/pay/" + id + "?wallet=wechat");
        assertThat(new PageClient(api.base())
                        .language("zh-CN")
                        .get("/pay/" + id)
                        .body())
                .contains("请用支付宝或微信扫码", "以微信打开");
        assertThat(other.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'self'");

        HttpResponse<String> playingAlipay = new PageClient(api.base()).get("/pay/" + id + "?wallet=alipay");
        assertThat(playingAlipay.statusCode()).isEqualTo(303);
        HttpResponse<String> playingWechat = new PageClient(api.base()).get("/pay/" + id + "?wallet=wechat");
        String codeUrl = attribute(playingWechat.body(), "follow", "href");
        assertThat(codeUrl).contains("/sandbox/wechat/qr/");

        JsonNode paid = payInWechatSandbox(id, codeUrl);
        assertThat(paid.get("channel").asString()).isEqualTo("wechatpay");
        for (String ua : new String[] {ALIPAY_APP, WECHAT, "curl/8"}) {
            HttpResponse<String> after =
                    new PageClient(api.base()).userAgent(ua).get("/pay/" + id);
            assertThat(after.statusCode()).as(ua).isEqualTo(200);
            assertThat(after.body())
                    .as(ua)
                    .contains("data-state=\"PAID\"", "This order is paid", "Paid with WeChat Pay.");
        }
    }

    @Test
    void theAnyQrPageShowsNothingOfIdsThatAreNotAnyQrPayments() {
        String qr = createQr(uniqueOrderNo(), "1.00").get("id").asString();
        PageClient browser = new PageClient(api.base());
        for (String path : List.of(
                "/pay/" + qr,
                "/pay/pay_000000000000000000000000",
                "/pay/nope",
                "/pay/PAY_" + qr.substring(4),
                "/pay/" + qr + "x")) {
            HttpResponse<String> page = browser.get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(404);
            assertThat(page.body()).as(path).contains("No such payment.").doesNotContain("Coffee");
        }
        assertThat(browser.get("/pay/" + qr + "/more").statusCode())
                .as("only /pay/{id} is public")
                .isEqualTo(401);
    }

    @Test
    void aClosedAnyQrPaymentSaysSoToEveryWallet() {
        String id = createAnyQr(uniqueOrderNo(), "2.00").get("id").asString();
        assertThat(api.post("/api/v1/payments/" + id + "/close", "").status()).isEqualTo(200);
        for (String ua : new String[] {ALIPAY_APP, WECHAT, "Mozilla/5.0"}) {
            HttpResponse<String> page = new PageClient(api.base()).userAgent(ua).get("/pay/" + id);
            assertThat(page.statusCode()).as(ua).isEqualTo(200);
            assertThat(page.body()).as(ua).contains("data-state=\"CLOSED\"", "can no longer be paid");
        }
    }

    @Test
    void theConsoleShowsAndFiltersTheChannel() {
        String prefix = "c-" + dev.zhifu.payments.storage.Ids.random(8);
        String alipay = paidQr(prefix + "-a", "1.00");
        JsonNode native_ = create("{\"out_trade_no\":\"" + prefix + "-w\",\"amount\":\"2.00\","
                + "\"subject\":\"Tea\",\"method\":\"wechat_native\"}");
        String wechat = native_.get("id").asString();
        JsonNode paid =
                payInWechatSandbox(wechat, native_.get("action").get("qr_code").asString());
        String open = createAnyQr(prefix + "-q", "3.00").get("id").asString();

        PageClient admin = loggedIn();
        String all = admin.get("/admin/payments?q=" + prefix).body();
        assertThat(all).contains("3 in all", "data-channel=\"alipay\"", "data-channel=\"wechatpay\"", ">WeChat Pay<");
        String onlyWechat =
                admin.get("/admin/payments?q=" + prefix + "&channel=wechatpay").body();
        assertThat(onlyWechat).contains("row-" + wechat, "1 in all").doesNotContain("row-" + alipay, "row-" + open);
        assertThat(onlyWechat).contains("<option value=\"wechatpay\" selected=\"selected\">WeChat Pay</option>");
        assertThat(admin.get("/admin/payments?q=" + prefix + "&channel=alipay").body())
                .contains("row-" + alipay, "1 in all");
        assertThat(admin.get("/admin/payments?q=" + prefix + "&channel=none").body())
                .contains("row-" + open, "1 in all");
        assertThat(admin.get("/admin/payments?q=" + prefix + "&channel=bogus").body())
                .as("an unknown channel filters nothing")
                .contains("3 in all");

        String page = admin.get("/admin/payments/" + wechat).body();
        assertThat(page)
                .contains("WeChat Pay transaction_id", paid.get("trade_no").asString(), "Ask WeChat Pay")
                .contains("Paid, WeChat Pay transaction " + paid.get("trade_no").asString());
        assertThat(admin.get("/admin/payments/" + alipay).body()).contains("Alipay trade no.", ">Alipay<");
        assertThat(admin.get("/admin/payments/" + open).body()).contains("not chosen yet");

        String dashboard = admin.get("/admin").body();
        assertThat(dashboard).contains("id=\"stat-channel-alipay\"", "id=\"stat-channel-wechatpay\"");
        PageClient zh = new PageClient(api.base()).language("zh-CN,zh");
        assertThat(zh.logIn(password()).statusCode()).isEqualTo(302);
        assertThat(zh.get("/admin/payments/" + wechat).body()).contains("微信支付订单号", "渠道", "查询微信支付");
        assertThat(zh.get("/admin/payments?q=" + prefix).body()).contains(">微信支付<", ">支付宝<");
        assertThat(zh.get("/admin").body()).contains("id=\"stat-channel-wechatpay\"", "微信支付");
    }

    @Test
    void theDemoShopSellsWithWechatPayAndTheOneCodeForEitherWallet() {
        PageClient buyer = new PageClient(api.base());
        HttpResponse<String> checkout = buyer.get("/demo/checkout?product=tea");
        assertThat(checkout.body())
                .contains("id=\"method-wechat_native\"", "id=\"method-wechat_h5\"", "id=\"method-any_qr\"")
                .contains("Pay with WeChat Pay");
        String token = PageClient.csrfOf(checkout);

        String order = buyer.post("/demo/checkout", Map.of("product", "tea", "method", "wechat_native", "_csrf", token))
                .headers()
                .firstValue("Location")
                .orElseThrow();
        assertThat(order).contains("/demo/orders/demo-");
        String no = order.substring(order.lastIndexOf('/') + 1);
        HttpResponse<String> page = buyer.get("/demo/orders/" + no);
        assertThat(page.body()).contains("id=\"qr-box\"", "Scan with the simulated WeChat");
        String codeUrl = attribute(page.body(), "scan", "href");
        assertThat(codeUrl).contains("/sandbox/wechat/qr/");
        assertThat(buyer.get("/demo/orders/" + no + "/qr.svg").statusCode()).isEqualTo(200);
        JsonNode p = api.get("/api/v1/payments?out_trade_no=" + no)
                .json()
                .get("data")
                .get(0);
        payInWechatSandbox(p.get("id").asString(), codeUrl);
        assertThat(buyer.get("/demo/orders/" + no + "/status").body())
                .contains("\"status\":\"PAID\"", "\"channel\":\"wechatpay\"");
        assertThat(buyer.get("/demo/orders/" + no).body()).contains("WeChat Pay transaction_id", ">WeChat Pay<");

        HttpResponse<String> h5 =
                buyer.post("/demo/checkout", Map.of("product", "coffee", "method", "wechat_h5", "_csrf", token));
        assertThat(h5.statusCode()).isEqualTo(303);
        String cashier = h5.headers().firstValue("Location").orElseThrow();
        assertThat(cashier).contains("/sandbox/wechat/h5?prepay_id=").contains("redirect_url=");
        assertThat(api.open(cashier).body()).contains("id=\"pay\"");

        String any = buyer.post("/demo/checkout", Map.of("product", "coffee", "method", "any_qr", "_csrf", token))
                .headers()
                .firstValue("Location")
                .orElseThrow();
        String anyPage = buyer.get(any.substring(any.indexOf("/demo/"))).body();
        assertThat(attribute(anyPage, "scan", "href")).contains("/pay/pay_");
        assertThat(anyPage).contains("Open the code&#39;s page");
    }
}
