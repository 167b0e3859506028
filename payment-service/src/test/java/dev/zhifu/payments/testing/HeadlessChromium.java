package dev.zhifu.payments.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and chromedriver, headless; nothing is ever downloaded. Without them the browser tests are
 * skipped, unless {@code CI=true}, where they fail.
 */
public final class HeadlessChromium {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private HeadlessChromium() {}

    public static WebDriver start() {
        return start("en-US,en");
    }

    /** A browser whose Accept-Language is {@code acceptLanguage}, e.g. {@code zh-CN,zh}. */
    public static WebDriver start(String acceptLanguage) {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing "
                        + "(apt-get install chromium chromium-driver)");
            }
            Assumptions.abort("no " + CHROMIUM + " / " + CHROMEDRIVER + ": browser tests skipped (CI is not true)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--lang=" + acceptLanguage.split(",")[0]);
        options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", acceptLanguage));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 1000));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Saves the whole page (the window stretched to its height) as {@code target/screenshots/<name>.png}. */
    public static Path screenshot(WebDriver driver, String name) {
        Dimension before = driver.manage().window().getSize();
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name.toLowerCase(Locale.ROOT) + ".png");
            Object height = ((JavascriptExecutor) driver)
                    .executeScript(
                            "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);");
            int page = height instanceof Number n ? n.intValue() : before.getHeight();
            if (page > before.getHeight() - 120) {
                driver.manage().window().setSize(new Dimension(before.getWidth(), Math.min(page + 140, 4000)));
            }
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            driver.manage().window().setSize(before);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
