package dev.zhifu.payments.web;

import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.HtmlUtils;

/**
 * Pages written without a template (the return page): the web pages' stylesheet and a card, the title escaped.
 */
public final class HtmlPage {

    private HtmlPage() {}

    /** @param body HTML that the caller has escaped where it holds data */
    public static ResponseEntity<String> of(int status, String title, String body) {
        String html = "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                + "content=\"width=device-width,initial-scale=1\"><title>" + HtmlUtils.htmlEscape(title) + "</title>"
                + "<link rel=\"stylesheet\" href=\"/css/pages.css\"></head><body><main class=\"wrap narrow\">"
                + "<div class=\"card page\">" + body + "</div></main></body></html>";
        return ResponseEntity.status(status)
                .contentType(new MediaType("text", "html", StandardCharsets.UTF_8))
                .body(html);
    }
}
