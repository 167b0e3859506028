package dev.zhifu.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.payments.admin.AdminPassword;
import dev.zhifu.payments.admin.LoginThrottle;
import dev.zhifu.payments.config.PaymentsProperties;
import dev.zhifu.payments.testing.HeadlessChromium;
import dev.zhifu.payments.testing.OnH2;
import dev.zhifu.payments.testing.ServiceSuite;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The web pages in a real (headless) Chromium against the service in demo mode: buy in the demo shop by page
 * pay, by QR code and in the simulated app, and watch the order turn paid; log into the admin console, find the
 * payment, refund half, see the timeline; a hostile subject stays text. Screenshots go to target/screenshots.
 */
@OnH2
class WebPagesInBrowserTest extends ServiceSuite {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    PaymentsProperties settings;

    @Autowired
    LoginThrottle throttle;

    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void openBrowser() {
        throttle.reset();
        browser = HeadlessChromium.start();
        wait = new WebDriverWait(browser, WAIT);
        // the order page reloads itself on each change: an element read during a reload is stale, so look again
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path; // the sandbox hands out localhost links: same origin, same cookies
    }

    private void shot(String name) {
        HeadlessChromium.screenshot(browser, name);
    }

    private WebElement waitFor(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Opens a page and waits until {@code ready} shows; answers that element's text. */
    private String visit(String path, By ready) {
        browser.get(url(path));
        return waitFor(ready).getText();
    }

    private void waitForStatus(String status) {
        wait.until(d -> status.equals(d.findElement(By.id("status")).getAttribute("data-status")));
    }

    @Test
    void aBuyerPaysByPagePayOnTheCashierAndTheOrderTurnsPaid() {
        browser.get(url("/?lang=en"));
        waitFor(By.id("buy-coffee"));
        shot("01-shop");
        browser.findElement(By.id("buy-coffee")).click();
        waitFor(By.id("method-page")).click();
        shot("02-checkout");
        browser.findElement(By.id("pay")).click();

        waitFor(By.id("pay")); // the sandbox's cashier page
        assertThat(browser.findElement(By.id("subject")).getText()).isEqualTo("Pour-over coffee");
        assertThat(browser.findElement(By.id("amount")).getText()).isEqualTo("9.90");
        shot("03-sandbox-cashier");
        browser.findElement(By.id("pay")).click();

        waitFor(By.id("continue")); // the service's return page
        shot("04-return-page");
        browser.findElement(By.id("continue")).click();
        waitForStatus("PAID");
        wait.until(d -> !d.findElements(By.cssSelector("#notification .badge")).isEmpty());
        assertThat(browser.findElement(By.id("notification")).getText()).containsIgnoringCase("applied");
        assertThat(browser.findElement(By.id("trade-no")).getText()).isNotBlank();
        shot("05-order-paid-page-pay");
    }

    @Test
    void aBuyerScansTheQrCodeWithTheSimulatedPhoneAndTheOrderPageTurnsPaidByItself() {
        browser.get(url("/demo/checkout?product=tea&lang=en"));
        waitFor(By.id("method-qr")).click();
        browser.findElement(By.id("pay")).click();
        waitFor(By.id("qr"));
        waitForStatus("PENDING");
        assertThat((Boolean) ((JavascriptExecutor) browser)
                        .executeScript(
                                "var i = document.getElementById('qr'); return i.complete && i.naturalWidth > 0;"))
                .isTrue();
        shot("06-order-qr-code");

        String shop = browser.getWindowHandle();
        browser.findElement(By.id("scan")).click(); // opens the "phone" in a new tab
        wait.until(d -> d.getWindowHandles().size() == 2);
        String phone = browser.getWindowHandles().stream()
                .filter(h -> !h.equals(shop))
                .findFirst()
                .orElseThrow();
        browser.switchTo().window(phone);
        waitFor(By.id("pay"));
        shot("07-sandbox-scanned-qr");
        browser.findElement(By.id("pay")).click();
        waitFor(By.id("paid"));
        assertThat(browser.findElement(By.id("paid")).getText()).isEqualTo("Payment successful");
        shot("08-sandbox-paid");
        browser.findElement(By.id("done")).click(); // not a dead end: back to the paid order
        assertThat(waitFor(By.id("status")).getText()).isEqualTo("Paid (TRADE_SUCCESS)");
        shot("08b-sandbox-paid-done");
        browser.close();

        browser.switchTo().window(shop); // nobody touches this page: it turns paid by itself
        waitForStatus("PAID");
        wait.until(d -> d.findElement(By.id("notification"))
                .getText()
                .toLowerCase(java.util.Locale.ROOT)
                .contains("applied"));
        shot("09-order-paid-by-qr");
    }

    @Test
    void aChineseBrowserGetsTheShopThePhoneAndTheCashierInChinese() {
        browser.quit();
        browser = HeadlessChromium.start("zh-CN,zh");
        wait = new WebDriverWait(browser, WAIT);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);

        browser.get(url("/demo/checkout?product=tea"));
        waitFor(By.id("method-qr")).click();
        browser.findElement(By.id("pay")).click();
        waitFor(By.id("qr"));
        waitForStatus("PENDING");
        assertThat(browser.findElement(By.id("order")).getText()).contains("付款方式");
        shot("24-order-qr-code-zh");
        String shop = browser.getWindowHandle();
        browser.findElement(By.id("scan")).click();
        wait.until(d -> d.getWindowHandles().size() == 2);
        browser.switchTo()
                .window(browser.getWindowHandles().stream()
                        .filter(h -> !h.equals(shop))
                        .findFirst()
                        .orElseThrow());
        assertThat(waitFor(By.id("pay")).getText()).startsWith("确认付款 ¥");
        shot("25-sandbox-phone-zh");
        browser.findElement(By.id("pay")).click();
        assertThat(waitFor(By.id("paid")).getText()).isEqualTo("支付成功");
        shot("26-sandbox-phone-paid-zh");
        browser.findElement(By.id("done")).click();
        assertThat(waitFor(By.id("status")).getText()).isEqualTo("订单已支付 (TRADE_SUCCESS)");
        browser.close();
        browser.switchTo().window(shop);
        waitForStatus("PAID");
        assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("已支付");
        shot("27-order-paid-zh");

        String page = browser.getCurrentUrl(); // a page pay in Chinese: the cashier follows the browser
        browser.get(url("/demo/checkout?product=coffee"));
        waitFor(By.id("method-page")).click();
        browser.findElement(By.id("pay")).click();
        assertThat(waitFor(By.id("pay")).getText()).startsWith("确认付款 ¥");
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("收款方");
        shot("28-sandbox-cashier-zh");
        assertThat(page).contains("/demo/orders/");
    }

    @Test
    void aBuyerPaysInTheSimulatedAlipayApp() {
        browser.get(url("/demo/checkout?product=headphones&lang=en"));
        waitFor(By.id("method-app")).click();
        browser.findElement(By.id("pay")).click();
        waitFor(By.id("app-pay"));
        shot("10-order-app-pay");
        String shop = browser.getWindowHandle();
        browser.findElement(By.id("app-pay")).click();
        wait.until(d -> d.getWindowHandles().size() == 2);
        browser.switchTo()
                .window(browser.getWindowHandles().stream()
                        .filter(h -> !h.equals(shop))
                        .findFirst()
                        .orElseThrow());
        wait.until(d -> d.getPageSource().contains("9000"));
        browser.close();
        browser.switchTo().window(shop);
        waitForStatus("PAID");
    }

    @Test
    void anAdminFindsThePaymentRefundsHalfAndSeesTheTimeline() {
        String no = uniqueOrderNo();
        String id = paidQr(no, "20.00");

        browser.get(url("/admin/payments?lang=en"));
        waitFor(By.id("password"));
        assertThat(browser.getCurrentUrl()).contains("/admin/login");
        shot("11-admin-login");
        browser.findElement(By.id("password")).sendKeys(AdminPassword.demoPassword(settings.dataDir()));
        browser.findElement(By.id("sign-in")).click();
        waitFor(By.id("filters")); // back where we were going

        browser.findElement(By.id("q")).sendKeys(no);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("status-filter"))).selectByValue("PAID");
        browser.findElement(By.id("search")).click();
        waitFor(By.id("row-" + id));
        assertThat(browser.findElements(By.cssSelector("#payments tbody tr"))).hasSize(1);
        shot("12-admin-payments-filtered");
        browser.findElement(By.linkText(no)).click();

        waitFor(By.id("refund-amount")).sendKeys("10.00");
        browser.findElement(By.id("refund-reason")).sendKeys("Half of the order returned");
        shot("13-admin-payment-before-refund");
        browser.findElement(By.id("refund")).click();
        waitFor(By.id("confirm"));
        assertThat(browser.findElement(By.id("question")).getText())
                .contains("¥10.00")
                .contains(no);
        shot("14-admin-refund-confirmation");
        browser.findElement(By.id("confirm")).click();

        waitFor(By.id("notice"));
        assertThat(browser.findElement(By.id("notice")).getText()).contains("Refunded ¥10.00");
        assertThat(browser.findElement(By.id("refunded")).getText()).isEqualTo("10.00");
        assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("Paid");
        // the refund's notification arrives a moment later; reloading shows it in the timeline
        wait.until(d -> {
            d.navigate().refresh();
            return d.findElements(By.cssSelector("#timeline li.notification")).size() >= 2;
        });
        List<String> kinds = browser.findElements(By.cssSelector("#timeline li")).stream()
                .map(li -> li.getAttribute("data-kind"))
                .toList();
        assertThat(kinds).contains("created", "paid", "notification", "refund", "event");
        assertThat(browser.findElement(By.id("timeline")).getText())
                .contains("Notification from Alipay: TRADE_SUCCESS")
                .contains("Refund of ¥10.00 done")
                .contains("payment.succeeded")
                .contains("refund.succeeded");
        browser.findElement(By.cssSelector("#timeline li.notification details summary"))
                .click();
        assertThat(browser.findElement(By.cssSelector("#timeline li.notification pre.raw"))
                        .getText())
                .contains("notify_id=");
        shot("15-admin-payment-timeline");
        assertThat(payment(id).get("refunded_amount").asString()).isEqualTo("10.00");

        browser.get(url("/admin"));
        waitFor(By.id("stat-volume"));
        shot("16-admin-dashboard");
        assertThat(visit("/admin/events", By.id("events")))
                .contains("Not sent")
                .contains("no webhook URL is configured")
                .doesNotContain("next attempt");
        shot("17-admin-events");
        // today against the sandbox's bill so far, from the console's own button
        browser.get(url("/admin/reconciliations"));
        waitFor(By.id("run-today")).click();
        waitFor(By.id("discrepancies"));
        assertThat(browser.findElement(By.cssSelector(".facts .badge")).getText())
                .isEqualTo("Reconciled");
        shot("18b-admin-reconciliation-day");
        assertThat(visit("/admin/reconciliations", By.id("days"))).contains("(so far)");
        shot("18-admin-reconciliations");
        browser.get(url("/admin?lang=zh-CN"));
        waitFor(By.id("stat-volume"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("今日");
        shot("19-admin-dashboard-zh");
        assertThat(visit("/admin/payments/" + id, By.id("timeline")))
                .contains("创建（扫码支付）")
                .contains("退款成功");
        // the badges are translated (a notification's stored reason may still name a status, as logged)
        assertThat(browser.findElements(By.cssSelector("#timeline .badge")).stream()
                        .map(WebElement::getText))
                .isNotEmpty()
                .noneMatch(badge -> badge.matches(".*[A-Z_]{4,}.*"));
        shot("20-admin-payment-zh");
        assertThat(visit("/admin/events", By.id("events"))).contains("未投递");
        shot("20b-admin-events-zh");
        assertThat(visit("/admin/reconciliations", By.id("days")))
                .contains("已对账")
                .doesNotContain("RECONCILED");
        shot("20c-admin-reconciliations-zh");
        browser.get(url("/?lang=zh-CN"));
        waitFor(By.id("buy-coffee"));
        shot("21-shop-zh");
    }

    @Test
    void aHostileSubjectIsRenderedAsText() {
        String hostile = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">";
        browser.get(url("/demo/checkout?product=custom&lang=en"));
        waitFor(By.id("subject")).sendKeys(hostile);
        browser.findElement(By.id("amount")).clear();
        browser.findElement(By.id("amount")).sendKeys("1.23");
        browser.findElement(By.id("method-qr")).click();
        browser.findElement(By.id("pay")).click();
        waitFor(By.id("qr"));
        assertThat(browser.findElement(By.id("subject")).getText()).isEqualTo(hostile);
        assertThat(browser.getTitle()).doesNotContain("pwned");
        assertThat(browser.findElements(By.cssSelector("#subject img, #subject script")))
                .isEmpty();
        shot("22-hostile-subject-shop");

        String outTradeNo = browser.getCurrentUrl().replaceAll(".*/demo/orders/", "");
        JsonNode payment = api.get("/api/v1/payments?out_trade_no=" + outTradeNo)
                .json()
                .get("data")
                .get(0);
        browser.get(url("/admin/payments/" + payment.get("id").asString()));
        waitFor(By.id("password")).sendKeys(AdminPassword.demoPassword(settings.dataDir()));
        browser.findElement(By.id("sign-in")).click();
        waitFor(By.id("timeline"));
        assertThat(browser.findElement(By.id("subject")).getText()).isEqualTo(hostile);
        assertThat(browser.getTitle()).doesNotContain("pwned");
        shot("23-hostile-subject-admin");
    }

    /** The only other tab: the "phone" a link opened. */
    private String otherTab(String mine) {
        wait.until(d -> d.getWindowHandles().size() == 2);
        return browser.getWindowHandles().stream()
                .filter(h -> !h.equals(mine))
                .findFirst()
                .orElseThrow();
    }

    private boolean imageLoaded(String id) {
        return (Boolean) ((JavascriptExecutor) browser)
                .executeScript(
                        "var i = document.getElementById(arguments[0]); return i.complete && i.naturalWidth > 0;", id);
    }

    /** Until WeChat Pay's notifications are received here, the service learns of a payment by a sync. */
    private JsonNode syncUntilPaid(String id) {
        assertThat(api.post("/api/v1/payments/" + id + "/sync", "").status()).isEqualTo(200);
        return awaitStatus(id, "PAID");
    }

    private void logIn() {
        waitFor(By.id("password")).sendKeys(AdminPassword.demoPassword(settings.dataDir()));
        browser.findElement(By.id("sign-in")).click();
    }

    @Test
    void aBrowserOpensTheOneCodeForEitherWalletPlaysWechatAndPaysThroughTheSandbox() {
        JsonNode created = create("{\"out_trade_no\":\"" + uniqueOrderNo() + "\",\"amount\":\"12.80\","
                + "\"subject\":\"Pour-over coffee\",\"method\":\"any_qr\"}");
        String id = created.get("id").asString();
        browser.get(created.get("action").get("qr_code").asString() + "?lang=en");
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("Scan with Alipay or WeChat");
        assertThat(imageLoaded("qr")).isTrue();
        shot("30-any-qr-choose");

        browser.findElement(By.id("as-wechat")).click();
        assertThat(waitFor(By.id("long-press")).getText()).contains("Long-press");
        assertThat(imageLoaded("wechat-qr")).isTrue();
        shot("31-any-qr-wechat");
        browser.findElement(By.id("follow")).click(); // what WeChat does with the code: the sandbox's page
        waitFor(By.id("pay"));
        assertThat(browser.findElement(By.id("amount")).getText()).isEqualTo("12.80");
        shot("32-sandbox-wechat-scanned");
        browser.findElement(By.id("pay")).click();
        waitFor(By.id("status"));
        shot("33-sandbox-wechat-paid");

        JsonNode paid = syncUntilPaid(id);
        assertThat(paid.get("channel").asString()).isEqualTo("wechatpay");
        browser.get(url("/pay/" + id));
        assertThat(waitFor(By.id("state")).getAttribute("data-state")).isEqualTo("PAID");
        assertThat(browser.findElement(By.id("paid-with")).getText()).isEqualTo("Paid with WeChat Pay.");
        shot("34-any-qr-paid");
    }

    @Test
    void theOneCodeForEitherWalletSpeaksChineseAndSendsAlipayToItsCashier() {
        browser.quit();
        browser = HeadlessChromium.start("zh-CN,zh");
        wait = new WebDriverWait(browser, WAIT);
        JsonNode created = create("{\"out_trade_no\":\"" + uniqueOrderNo() + "\",\"amount\":\"36.00\","
                + "\"subject\":\"明前龙井 50 克\",\"method\":\"any_qr\"}");
        String id = created.get("id").asString();
        browser.get(url("/pay/" + id));
        assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("请用支付宝或微信扫码");
        assertThat(browser.findElement(By.id("as-alipay")).getText()).isEqualTo("以支付宝打开");
        shot("35-any-qr-choose-zh");
        browser.get(url("/pay/" + id + "?wallet=wechat"));
        assertThat(waitFor(By.id("long-press")).getText()).contains("长按二维码");
        shot("36-any-qr-wechat-zh");
        browser.get(url("/pay/" + id));
        waitFor(By.id("as-alipay")).click();
        assertThat(waitFor(By.id("pay")).getText()).startsWith("确认付款 ¥"); // the sandbox's mobile cashier
        shot("37-any-qr-alipay-cashier-zh");
        browser.findElement(By.id("pay")).click();
        JsonNode paid = awaitStatus(id, "PAID");
        assertThat(paid.get("channel").asString()).isEqualTo("alipay");
        browser.get(url("/pay/" + id));
        assertThat(waitFor(By.id("paid-with")).getText()).isEqualTo("付款方式：支付宝。");
        shot("38-any-qr-paid-zh");
    }

    @Test
    void aBuyerPaysTheDemoShopWithWechatPayAndTheAdminFiltersByChannel() {
        browser.get(url("/demo/checkout?product=tea&lang=en"));
        waitFor(By.id("method-wechat_native")).click();
        shot("39-checkout-wallets");
        browser.findElement(By.id("pay")).click();
        waitFor(By.id("qr"));
        waitForStatus("PENDING");
        assertThat(imageLoaded("qr")).isTrue();
        assertThat(browser.findElement(By.id("scan")).getText()).isEqualTo("Scan with the simulated WeChat");
        shot("40-order-wechat-qr");
        String no = browser.getCurrentUrl().replaceAll(".*/demo/orders/", "");
        String shop = browser.getWindowHandle();
        browser.findElement(By.id("scan")).click();
        browser.switchTo().window(otherTab(shop));
        waitFor(By.id("pay")).click();
        waitFor(By.id("status"));
        browser.close();
        browser.switchTo().window(shop);
        String id = api.get("/api/v1/payments?out_trade_no=" + no)
                .json()
                .get("data")
                .get(0)
                .get("id")
                .asString();
        syncUntilPaid(id);
        waitForStatus("PAID"); // the page polls the stored state, as for Alipay
        assertThat(browser.findElement(By.id("channel")).getText()).isEqualTo("WeChat Pay");
        shot("41-order-paid-wechat");

        browser.get(url("/admin/payments?lang=en"));
        logIn();
        waitFor(By.id("filters"));
        browser.findElement(By.id("q")).sendKeys(no);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("channel-filter")))
                .selectByValue("wechatpay");
        browser.findElement(By.id("search")).click();
        waitFor(By.id("row-" + id));
        assertThat(browser.findElement(By.cssSelector("#row-" + id + " td.channel"))
                        .getText())
                .isEqualTo("WeChat Pay");
        browser.findElement(By.id("q")).clear();
        browser.findElement(By.id("search")).click();
        waitFor(By.id("payments"));
        assertThat(browser.findElements(By.cssSelector("#payments tbody td.channel")).stream()
                        .map(td -> td.getAttribute("data-channel")))
                .isNotEmpty()
                .allMatch("wechatpay"::equals);
        shot("42-admin-payments-wechatpay");
        browser.get(url("/admin/payments/" + id));
        assertThat(waitFor(By.id("trade-no-label")).getText()).isEqualTo("WeChat Pay transaction_id");
        wait.until(
                d -> { // WeChat Pay's notification may arrive after the sync
                    d.navigate().refresh();
                    return d.findElement(By.id("timeline")).getText().contains("Notification from WeChat Pay: SUCCESS");
                });
        shot("43-admin-payment-wechatpay");
        browser.get(url("/admin"));
        waitFor(By.id("stat-channel-wechatpay"));
        shot("44-admin-dashboard-channels");
        browser.get(url("/admin?lang=zh-CN"));
        assertThat(waitFor(By.id("stat-channel-wechatpay")).getText()).contains("微信支付");
        shot("45-admin-dashboard-channels-zh");
        browser.get(url("/admin/payments?channel=wechatpay"));
        waitFor(By.id("payments"));
        shot("46-admin-payments-wechatpay-zh");
        browser.get(url("/admin/payments/" + id));
        assertThat(waitFor(By.id("trade-no-label")).getText()).isEqualTo("微信支付订单号");
        shot("47-admin-payment-wechatpay-zh");
        browser.get(url("/demo/checkout?product=tea"));
        waitFor(By.id("method-wechat_native"));
        shot("48-checkout-wallets-zh");
        browser.get(url("/demo/orders/" + no));
        waitForStatus("PAID");
        shot("49-order-paid-wechat-zh");
    }
}
