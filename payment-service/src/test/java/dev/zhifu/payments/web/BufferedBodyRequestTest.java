package dev.zhifu.payments.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.DispatcherType;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.unit.DataSize;

/**
 * The request the application sees once its body has been received: the bytes as sent, form parameters as the
 * container would have parsed them, the first dispatch passing as a request's first; and the settings' checks.
 */
class BufferedBodyRequestTest {

    /** A POST as the container hands it over after the body was read: its parameters are the query's only. */
    private static MockHttpServletRequest received(String contentType, String query) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/admin/login");
        request.setContentType(contentType);
        request.setCharacterEncoding("UTF-8");
        request.setDispatcherType(DispatcherType.ASYNC);
        if (query != null) {
            request.setQueryString(query);
            for (String pair : query.split("&")) {
                String[] nv = pair.split("=", 2);
                request.addParameter(nv[0], nv.length > 1 ? nv[1] : "");
            }
        }
        return request;
    }

    private static BufferedBodyRequest wrap(MockHttpServletRequest request, byte[] body) {
        byte[] roomy = java.util.Arrays.copyOf(body, body.length + 16); // the buffer is usually larger than the body
        return new BufferedBodyRequest(request, roomy, body.length, 1000, true);
    }

    @Test
    void theBodyIsServedByteForByteAndItsLengthIsTheReceivedOne() throws Exception {
        byte[] gbk = "subject=%BF%A7%B7%C8&charset=gbk".getBytes(StandardCharsets.US_ASCII);
        MockHttpServletRequest chunked = received("application/x-www-form-urlencoded; charset=GBK", null);
        chunked.addHeader("Transfer-Encoding", "chunked");
        BufferedBodyRequest request = wrap(chunked, gbk);
        assertThat(request.getContentLength()).isEqualTo(gbk.length);
        assertThat(request.getContentLengthLong()).isEqualTo(gbk.length);
        assertThat(request.getInputStream().readAllBytes()).isEqualTo(gbk);
        assertThat(request.getInputStream().read())
                .as("read once, like a connection")
                .isEqualTo(-1);
        assertThat(request.getInputStream().isFinished()).isTrue();
    }

    @Test
    void formParametersFollowTheQuerysInTheRequestsCharset() {
        byte[] body = "password=%E5%AF%86+%E7%A0%81&next=%2Fadmin&_csrf=t0k".getBytes(StandardCharsets.US_ASCII);
        BufferedBodyRequest request = wrap(received("application/x-www-form-urlencoded", "lang=zh-CN&next=q"), body);
        assertThat(request.getParameter("password")).isEqualTo("密 码");
        assertThat(request.getParameter("lang")).isEqualTo("zh-CN");
        assertThat(request.getParameterValues("next")).containsExactly("q", "/admin");
        assertThat(request.getParameter("next"))
                .as("the query's first, as the container does")
                .isEqualTo("q");
        assertThat(Collections.list(request.getParameterNames())).containsExactly("lang", "next", "password", "_csrf");
        assertThat(request.getParameterMap()).containsKeys("lang", "next", "password", "_csrf");
        assertThat(request.getParameter("absent")).isNull();
    }

    @Test
    void aNameWithoutValueIsEmptyAndEmptyPairsAreSkippedAsTheContainerDoes() {
        BufferedBodyRequest request = wrap(
                received("application/x-www-form-urlencoded", null), "flag&&a=1&".getBytes(StandardCharsets.US_ASCII));
        assertThat(request.getParameter("flag")).isEmpty();
        assertThat(request.getParameter("a")).isEqualTo("1");
    }

    @Test
    void aMalformedFormFailsLikeTheContainersParser() {
        BufferedBodyRequest request =
                wrap(received("application/x-www-form-urlencoded", null), "a=%zz".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> request.getParameter("a")).isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(request::getParameterMap).as("every time").isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void theContainersLimitOnParametersCountsTheQuerysToo() {
        MockHttpServletRequest raw = received("application/x-www-form-urlencoded", "q=1");
        BufferedBodyRequest request =
                new BufferedBodyRequest(raw, "a=1&b=2".getBytes(StandardCharsets.US_ASCII), 7, 2, true);
        assertThatThrownBy(request::getParameterMap).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void onlyFormPostsHaveTheirBodyParsed() {
        byte[] json = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(wrap(received("application/json", "x=1"), json).getParameterMap())
                .containsOnlyKeys("x");
        MockHttpServletRequest put = received("application/x-www-form-urlencoded", null);
        put.setMethod("PUT"); // as the container: only POST bodies (Spring's FormContentFilter parses the others)
        assertThat(wrap(put, "a=1".getBytes(StandardCharsets.US_ASCII)).getParameterMap())
                .isEmpty();
        assertThat(wrap(
                                received("Application/X-WWW-Form-URLEncoded ;charset=UTF-8", null),
                                "a=1".getBytes(StandardCharsets.US_ASCII))
                        .getParameter("a"))
                .isEqualTo("1");
    }

    @Test
    void theReaderDecodesWithTheRequestsCharset() throws Exception {
        MockHttpServletRequest raw = received("text/plain", null);
        raw.setCharacterEncoding("GBK");
        byte[] body = "咖啡".getBytes(Charset.forName("GBK"));
        assertThat(wrap(raw, body).getReader().readLine()).isEqualTo("咖啡");
    }

    @Test
    void theHandOverPassesAsTheRequestsFirstDispatchAndLaterOnesAsWhatTheyAre() {
        BufferedBodyRequest request = wrap(received("application/json", null), new byte[] {'1'});
        assertThat(request.getDispatcherType()).isEqualTo(DispatcherType.REQUEST);
        request.handedOver();
        assertThat(request.getDispatcherType()).isEqualTo(DispatcherType.ASYNC);
    }

    @Test
    void aFilterBehindMappedForRequestsOnlyIsFound() {
        FilterMap encoding = map("characterEncodingFilter"); // none named: REQUEST only
        FilterMap body = map(RequestBodyConfiguration.NAME, "REQUEST", "ASYNC");
        FilterMap security = map("springSecurityFilterChain", "REQUEST", "ASYNC", "ERROR");
        FilterMap legacy = map("legacyAuth", "REQUEST");
        FilterMap websocket = map("Tomcat WebSocket (JSR356) Filter", "REQUEST");
        java.util.function.Function<String, String> classes = name ->
                name.startsWith("Tomcat WebSocket") ? "org.apache.tomcat.websocket.server.WsFilter" : "x." + name;
        assertThat(RequestBodyConfiguration.skippedBehind(
                        new FilterMap[] {encoding, body, security, websocket}, classes))
                .isEmpty();
        assertThat(RequestBodyConfiguration.skippedBehind(new FilterMap[] {encoding, body, legacy, security}, classes))
                .containsExactly("legacyAuth");
        assertThat(RequestBodyConfiguration.skippedBehind(new FilterMap[] {legacy, body}, classes))
                .as("before it, a filter sees every request as it arrives")
                .isEmpty();
    }

    private static FilterMap map(String name, String... dispatchers) {
        FilterMap map = new FilterMap();
        map.setFilterName(name);
        map.addURLPattern("/*");
        for (String d : dispatchers) {
            map.setDispatcher(d);
        }
        return map;
    }

    @Test
    void settingsOutOfRangeAreRefusedNamingTheProperty() {
        DataSize mb = DataSize.ofMegabytes(1);
        Duration tenSeconds = Duration.ofSeconds(10);
        assertThatThrownBy(() -> new RequestBodyProperties(DataSize.ofBytes(100), tenSeconds, mb))
                .hasMessageStartingWith("payments.http.max-body-size");
        assertThatThrownBy(() -> new RequestBodyProperties(mb, Duration.ofMillis(500), mb))
                .hasMessageStartingWith("payments.http.body-timeout");
        assertThatThrownBy(() -> new RequestBodyProperties(mb, Duration.ofHours(1), mb))
                .hasMessageStartingWith("payments.http.body-timeout");
        assertThatThrownBy(() -> new RequestBodyProperties(mb, tenSeconds, DataSize.ofKilobytes(512)))
                .hasMessageStartingWith("payments.http.max-buffered");
        assertThat(new RequestBodyProperties(mb, tenSeconds, mb).maxBuffered()).isEqualTo(mb);
    }
}
