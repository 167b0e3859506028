package dev.zhifu.sandbox.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Mounts the sandbox in a servlet container (the payment service's demo mode). Map it to {@code /sandbox/*}
 * and build the sandbox with {@code basePath("/sandbox")}: the gateway is then {@code /sandbox/gateway.do}
 * and the control API {@code /sandbox/trades/...} on the container's own port.
 */
public class SandboxServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient SandboxHandler handler;

    public SandboxServlet(SandboxHandler handler) {
        this.handler = handler;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body = req.getInputStream().readAllBytes();
        Map<String, List<String>> headers = new HashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), Collections.list(req.getHeaders(name)));
        }
        String path = req.getRequestURI().substring(req.getContextPath().length());
        int port = req.getServerPort();
        boolean defaultPort =
                ("http".equals(req.getScheme()) && port == 80) || ("https".equals(req.getScheme()) && port == 443);
        String origin = req.getScheme() + "://" + req.getServerName() + (defaultPort ? "" : ":" + port);
        SandboxResponse response = handler.handle(new SandboxRequest(
                req.getMethod().toUpperCase(Locale.ROOT), path, req.getQueryString(), headers, body, origin));
        resp.setStatus(response.status());
        response.headers().forEach(resp::setHeader);
        resp.setContentLength(response.body().length);
        resp.getOutputStream().write(response.body());
    }
}
