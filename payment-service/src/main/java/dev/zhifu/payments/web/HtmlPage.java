package dev.zhifu.payments.web;

import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.HtmlUtils;

/** The few server-rendered pages (return page, demo shop): one plain layout, the title escaped. */
public final class HtmlPage {

    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem}"
            + "dt{color:#666}dd{margin:0 0 .5rem}"
            + "label{display:block;margin:.6rem 0}input,select{display:block;width:100%;padding:.4rem;margin-top:.2rem}"
            + "button{margin-top:1rem;padding:.6rem 1.2rem;background:#1677ff;color:#fff;border:0;border-radius:4px}"
            + ".small{color:#666;font-size:.9rem}";

    private HtmlPage() {
    }

    /** @param body HTML that the caller has escaped where it holds data */
    public static ResponseEntity<String> of(int status, String title, String body) {
        String html = "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                + "content=\"width=device-width,initial-scale=1\"><title>" + HtmlUtils.htmlEscape(title) + "</title><style>"
                + STYLE + "</style></head><body>" + body + "</body></html>";
        return ResponseEntity.status(status).contentType(new MediaType("text", "html", StandardCharsets.UTF_8)).body(html);
    }
}
