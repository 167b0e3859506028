package dev.zhifu.sandbox.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zhifu.sandbox.AlipaySandbox;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The servlet adapter mounted at {@code /sandbox/*} of a context {@code /shop}, without a container. */
class SandboxServletTest {

    private record Answer(int status, Map<String, String> headers, String body) {}

    private static Answer call(SandboxServlet servlet, String method, String uri, String query) throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(new byte[0]);
        ServletInputStream body = new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener l) {}

            @Override
            public int read() {
                return in.read();
            }
        };
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(
                SandboxServletTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getInputStream" -> body;
                    case "getHeaderNames" -> Collections.enumeration(List.of("Host"));
                    case "getHeaders" -> Collections.enumeration(List.of("shop.example:8080"));
                    case "getRequestURI" -> uri;
                    case "getContextPath" -> "/shop";
                    case "getServerPort" -> 8080;
                    case "getScheme" -> "http";
                    case "getServerName" -> "shop.example";
                    case "getMethod" -> method;
                    case "getQueryString" -> query;
                    default -> null;
                });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ServletOutputStream sink = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener l) {}

            @Override
            public void write(int b) {
                out.write(b);
            }
        };
        int[] status = {0};
        Map<String, String> headers = new HashMap<>();
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
                SandboxServletTest.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "setStatus" -> status[0] = (Integer) a[0];
                        case "setHeader" -> headers.put((String) a[0], (String) a[1]);
                        case "getOutputStream" -> {
                            return sink;
                        }
                        default -> {}
                    }
                    return null;
                });
        servlet.service(request, response);
        return new Answer(status[0], headers, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void gatewayAndControlApiLiveUnderTheMount() throws Exception {
        try (AlipaySandbox sandbox =
                AlipaySandbox.builder().basePath("/sandbox").build()) {
            SandboxServlet servlet = new SandboxServlet(sandbox.handler());
            assertThat(call(servlet, "GET", "/shop/sandbox/health", null).status())
                    .isEqualTo(200);
            Answer gateway = call(servlet, "GET", "/shop/sandbox/gateway.do", "method=alipay.trade.query");
            assertThat(gateway.status()).isEqualTo(200);
            assertThat(gateway.headers()).containsEntry("Content-Type", "text/html;charset=utf-8");
            assertThat(gateway.body()).startsWith("{\"alipay_trade_query_response\":{\"code\":\"40001\"");
            assertThat(call(servlet, "GET", "/shop/sandbox/trades/NONE", null).status())
                    .isEqualTo(404);
            assertThat(call(servlet, "GET", "/shop/gateway.do", null).status()).isEqualTo(404);
        }
    }

    @Test
    void wechatPayAnswerHeadersKeepTheirSpellingThroughTheServlet() throws Exception {
        try (AlipaySandbox sandbox =
                AlipaySandbox.builder().basePath("/sandbox").build()) {
            SandboxServlet servlet = new SandboxServlet(sandbox.handler());

            // unsigned: a 401 SIGN_ERROR, which WeChat Pay signs like any other answer
            Answer answer = call(servlet, "GET", "/shop/sandbox/v3/certificates", null);

            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.headers())
                    .containsKeys("Wechatpay-Signature", "Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Serial");
        }
    }
}
