package dev.zhifu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.internal.util.AlipaySignature;
import com.alipay.api.request.AlipayTradePagePayRequest;
import com.alipay.api.request.AlipayTradePrecreateRequest;
import com.sun.net.httpserver.HttpServer;
import dev.zhifu.sandbox.http.FormCodec;
import dev.zhifu.sandbox.junit.AlipaySandboxExtension;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The cashier in headless Chromium: open a page pay URL, click Pay, land on return_url with signed parameters; the
 * simulated phone pays a QR code and finds its way back; each in a Chinese and an English browser. Screenshots
 * in {@code target/screenshots/}.
 */
@ExtendWith(AlipaySandboxExtension.class)
class CashierBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static void assumeChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(
                    present, "chromium / chromedriver not installed (apt-get install chromium chromium-driver)");
        }
    }

    /** Headless Chromium whose Accept-Language is {@code language} (e.g. {@code en-US,en}). */
    private static WebDriver browser(String language) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--lang=" + language.split(",")[0],
                "--window-size=800,900");
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /** The GET URL of a page pay request signed as the official SDK signs it; {@code returnUrl} may be null. */
    private static String pagePayUrl(AlipaySandbox sandbox, String no, String amount, String subject, String returnUrl)
            throws Exception {
        AlipayTradePagePayRequest request = new AlipayTradePagePayRequest();
        if (returnUrl != null) {
            request.setReturnUrl(returnUrl);
        }
        request.setBizContent("{\"out_trade_no\":\"" + no + "\",\"total_amount\":\"" + amount + "\",\"subject\":\""
                + subject + "\",\"product_code\":\"FAST_INSTANT_TRADE_PAY\"}");
        return Sdk.publicKeyClient(sandbox, "UTF-8").pageExecute(request, "GET").getBody();
    }

    /** Opens the cashier and waits for its Pay button; answers the wait for the next steps. */
    private static WebDriverWait openCashier(WebDriver driver, String payUrl) {
        driver.get(payUrl);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("pay")));
        return wait;
    }

    private static void screenshot(WebDriver driver, String name) throws Exception {
        Path shots = Files.createDirectories(Path.of("target", "screenshots"));
        Files.write(shots.resolve(name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void buyerPaysOnTheCashierAndReturnsWithVerifiableParameters(AlipaySandbox sandbox) throws Exception {
        assumeChromium();
        HttpServer shop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        shop.createContext("/return", exchange -> {
            byte[] page =
                    "<html><body><h1 id=\"back\">back at the shop</h1></body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(page);
            }
        });
        shop.start();
        String returnUrl = "http://127.0.0.1:" + shop.getAddress().getPort() + "/return?order=42";

        String no = Sdk.orderNo("WEB");
        String payUrl = pagePayUrl(sandbox, no, "128.00", "浏览器 <测试>", returnUrl);

        WebDriver driver = browser("zh-CN,zh");
        try {
            WebDriverWait wait = openCashier(driver, payUrl);
            assertThat(driver.findElement(By.id("subject")).getText()).isEqualTo("浏览器 <测试>");
            assertThat(driver.findElement(By.id("amount")).getText()).isEqualTo("128.00");
            assertThat(driver.findElement(By.id("merchant")).getText()).isNotBlank();
            assertThat(driver.findElement(By.id("pay")).getText()).isEqualTo("确认付款 ¥128.00");
            assertThat(driver.findElement(By.tagName("html")).getAttribute("lang"))
                    .isEqualTo("zh-CN");
            screenshot(driver, "cashier.png");

            driver.findElement(By.id("pay")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("back")));
            screenshot(driver, "returned.png");

            URI landed = URI.create(driver.getCurrentUrl());
            assertThat(landed.getPath()).isEqualTo("/return");
            Map<String, String> params = new HashMap<>(FormCodec.decode(landed.getRawQuery(), StandardCharsets.UTF_8));
            assertThat(params)
                    .containsEntry("order", "42")
                    .containsEntry("out_trade_no", no)
                    .containsEntry("total_amount", "128.00")
                    .containsEntry("method", "alipay.trade.page.pay.return");
            params.remove("order");
            assertThat(AlipaySignature.rsaCheckV1(params, sandbox.alipayPublicKeyBase64(), "UTF-8", "RSA2"))
                    .isTrue();
            assertThat(sandbox.control().trade(no).get("trade_status").asText()).isEqualTo("TRADE_SUCCESS");
        } finally {
            driver.quit();
            shop.stop(0);
        }
    }

    @Test
    void anEnglishBrowserGetsAnEnglishCashierAndCanSwitchToChinese(AlipaySandbox sandbox) throws Exception {
        assumeChromium();
        String payUrl = pagePayUrl(sandbox, Sdk.orderNo("WEB"), "9.90", "Coffee", null);
        WebDriver driver = browser("en-US,en");
        try {
            WebDriverWait wait = openCashier(driver, payUrl);
            assertThat(driver.getTitle()).isEqualTo("Alipay sandbox cashier");
            assertThat(driver.findElement(By.id("pay")).getText()).isEqualTo("Pay ¥9.90");
            assertThat(driver.findElement(By.tagName("body")).getText())
                    .contains("Payee", "Item", "Order no.")
                    .doesNotContain("收款方");
            screenshot(driver, "cashier-en.png");

            driver.findElement(By.id("lang-zh")).click();
            wait.until(ExpectedConditions.textToBe(By.id("pay"), "确认付款 ¥9.90"));
            driver.findElement(By.id("lang-en")).click();
            wait.until(ExpectedConditions.textToBe(By.id("pay"), "Pay ¥9.90"));

            // no return_url: the success page, in English, leads back to the paid order
            driver.findElement(By.id("pay")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("paid")));
            assertThat(driver.findElement(By.id("paid")).getText()).isEqualTo("Payment successful");
            screenshot(driver, "paid-en.png");
            driver.findElement(By.id("done")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("status")));
            assertThat(driver.findElement(By.id("status")).getText()).isEqualTo("Paid (TRADE_SUCCESS)");
            assertThat(driver.findElement(By.id("done-hint")).getText()).contains("you can close this page");
        } finally {
            driver.quit();
        }
    }

    @Test
    void theSimulatedPhonePaysAQrCodeAndIsNotLeftAtADeadEnd(AlipaySandbox sandbox) throws Exception {
        assumeChromium();
        for (String language : new String[] {"zh-CN,zh", "en-US,en"}) {
            String no = Sdk.orderNo("QR");
            AlipayTradePrecreateRequest request = new AlipayTradePrecreateRequest();
            request.setBizContent("{\"out_trade_no\":\"" + no + "\",\"total_amount\":\"6.00\",\"subject\":\"Tea\"}");
            String qr = Sdk.publicKeyClient(sandbox, "UTF-8").execute(request).getQrCode();
            String suffix = language.startsWith("zh") ? "" : "-en";
            WebDriver driver = browser(language);
            try {
                driver.get(qr); // the phone "scans" the code
                WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("pay")));
                screenshot(driver, "phone" + suffix + ".png");
                driver.findElement(By.id("pay")).click();
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("paid")));
                assertThat(driver.findElement(By.id("paid")).getText())
                        .isEqualTo(suffix.isEmpty() ? "支付成功" : "Payment successful");
                assertThat(driver.findElement(By.id("done-hint")).getText())
                        .isEqualTo(
                                suffix.isEmpty()
                                        ? "商户已收到支付结果，可以关闭此页面。"
                                        : "The merchant has been told the result; you can close this page.");
                screenshot(driver, "phone-paid" + suffix + ".png");
                driver.findElement(By.id("done")).click();
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("status")));
                assertThat(driver.findElement(By.id("status")).getText())
                        .isEqualTo((suffix.isEmpty() ? "订单已支付" : "Paid") + " (TRADE_SUCCESS)");
                assertThat(sandbox.control().trade(no).get("trade_status").asText())
                        .isEqualTo("TRADE_SUCCESS");
            } finally {
                driver.quit();
            }
        }
    }
}
