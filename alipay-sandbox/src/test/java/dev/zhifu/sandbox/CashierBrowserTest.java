package dev.zhifu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.internal.util.AlipaySignature;
import com.alipay.api.request.AlipayTradePagePayRequest;
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

/** The cashier in headless Chromium: open a page pay URL, click Pay, land on return_url with signed parameters. */
@ExtendWith(AlipaySandboxExtension.class)
class CashierBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void buyerPaysOnTheCashierAndReturnsWithVerifiableParameters(AlipaySandbox sandbox) throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!"true".equals(System.getenv("CI"))) {
            Assumptions.assumeTrue(present, "chromium / chromedriver not installed (apt-get install chromium chromium-driver)");
        }
        HttpServer shop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        shop.createContext("/return", exchange -> {
            byte[] page = "<html><body><h1 id=\"back\">back at the shop</h1></body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(page);
            }
        });
        shop.start();
        String returnUrl = "http://127.0.0.1:" + shop.getAddress().getPort() + "/return?order=42";

        String no = Sdk.orderNo("WEB");
        AlipayTradePagePayRequest request = new AlipayTradePagePayRequest();
        request.setReturnUrl(returnUrl);
        request.setBizContent("{\"out_trade_no\":\"" + no + "\",\"total_amount\":\"128.00\",\"subject\":\"浏览器 <测试>\","
                + "\"product_code\":\"FAST_INSTANT_TRADE_PAY\"}");
        String payUrl = Sdk.publicKeyClient(sandbox, "UTF-8").pageExecute(request, "GET").getBody();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        try {
            driver.get(payUrl);
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("pay")));
            assertThat(driver.findElement(By.id("subject")).getText()).isEqualTo("浏览器 <测试>");
            assertThat(driver.findElement(By.id("amount")).getText()).isEqualTo("128.00");
            assertThat(driver.findElement(By.id("merchant")).getText()).isNotBlank();
            Path shots = Files.createDirectories(Path.of("target", "screenshots"));
            Files.write(shots.resolve("cashier.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));

            driver.findElement(By.id("pay")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("back")));
            Files.write(shots.resolve("returned.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));

            URI landed = URI.create(driver.getCurrentUrl());
            assertThat(landed.getPath()).isEqualTo("/return");
            Map<String, String> params = new HashMap<>(FormCodec.decode(landed.getRawQuery(), StandardCharsets.UTF_8));
            assertThat(params).containsEntry("order", "42").containsEntry("out_trade_no", no)
                    .containsEntry("total_amount", "128.00").containsEntry("method", "alipay.trade.page.pay.return");
            params.remove("order");
            assertThat(AlipaySignature.rsaCheckV1(params, sandbox.alipayPublicKeyBase64(), "UTF-8", "RSA2")).isTrue();
            assertThat(sandbox.control().trade(no).get("trade_status").asText()).isEqualTo("TRADE_SUCCESS");
        } finally {
            driver.quit();
            shop.stop(0);
        }
    }
}
