package dev.zhifu.payments.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser without a browser: one cookie jar (one session), no redirects followed, forms posted by hand. */
public final class PageClient {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String base;
    private final HttpClient http;
    private String language = "en";
    private String userAgent;

    public PageClient(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public PageClient language(String acceptLanguage) {
        this.language = acceptLanguage;
        return this;
    }

    /** Sends {@code User-Agent: userAgent} from now on (a wallet's in-app browser, say). */
    public PageClient userAgent(String userAgent) {
        this.userAgent = userAgent;
        return this;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public HttpResponse<String> post(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The CSRF token in a page's forms. */
    public static String csrfOf(HttpResponse<String> page) {
        Matcher m = CSRF.matcher(page.body());
        if (!m.find()) {
            throw new AssertionError("no _csrf field in " + page.uri() + ":\n" + page.body());
        }
        return m.group(1);
    }

    /** Logs in with the password (taking the token from the login page); answers the login POST's response. */
    public HttpResponse<String> logIn(String password) {
        String token = csrfOf(get("/admin/login"));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", token);
        form.put("password", password);
        form.put("next", "/admin");
        return post("/admin/login", form);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        if (userAgent != null) {
            request.header("User-Agent", userAgent);
        }
        try {
            return http.send(
                    request.header("Accept-Language", language)
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
