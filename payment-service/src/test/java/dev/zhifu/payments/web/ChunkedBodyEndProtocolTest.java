package dev.zhifu.payments.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.Http11NioProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChunkedBodyEndProtocol} on a bare Tomcat, with a servlet that reads its body as {@link RequestBodyFilter}
 * does (a {@code ReadListener}, every read on the container's thread): a chunked request whose client shuts its output
 * after the last chunk is answered, as are the requests that were answered before; and, with Tomcat's own protocol,
 * the same request is not, which is what the class is there for.
 */
class ChunkedBodyEndProtocolTest {

    static final String BODY = "{\"amount\":\"1.00\"}";
    static final String CHUNKED = Integer.toHexString(BODY.length()) + "\r\n" + BODY + "\r\n0\r\n\r\n";

    @TempDir
    Path dir;

    /**
     * Answers {@code got <n>} once the body has been read with non-blocking I/O. A request with a {@code Gate}
     * header waits first for {@link #gate}: the client opens it once it has sent everything and shut its output, so
     * the first read already finds the end of the stream behind the body.
     */
    static final class NonBlockingEcho extends HttpServlet {
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (request.getHeader("Gate") != null) {
                try {
                    assertThat(gate.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            AsyncContext async = request.startAsync();
            ServletInputStream in = request.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            in.setReadListener(new ReadListener() {
                @Override
                public void onDataAvailable() throws IOException {
                    byte[] buffer = new byte[64];
                    while (!in.isFinished() && in.isReady()) {
                        int n = in.read(buffer);
                        if (n < 0) {
                            return;
                        }
                        got.write(buffer, 0, n);
                    }
                }

                @Override
                public void onAllDataRead() throws IOException {
                    response.setContentType("text/plain");
                    response.getWriter().write("got " + got.size());
                    async.complete();
                }

                @Override
                public void onError(Throwable t) {
                    async.complete();
                }
            });
        }
    }

    /** A Tomcat with one connector made with {@code protocol} and {@link NonBlockingEcho} at {@code /echo}. */
    private static final class Server implements AutoCloseable {
        final Tomcat tomcat = new Tomcat();
        final NonBlockingEcho echo = new NonBlockingEcho();
        final int port;

        Server(String protocol, Path dir) throws Exception {
            tomcat.setBaseDir(dir.toString());
            Connector connector = new Connector(protocol);
            connector.setPort(0);
            tomcat.setConnector(connector);
            Context context = tomcat.addContext("", null);
            Wrapper servlet = Tomcat.addServlet(context, "echo", echo);
            servlet.setAsyncSupported(true);
            context.addServletMappingDecoded("/echo", "echo");
            tomcat.start();
            port = connector.getLocalPort();
        }

        /**
         * Sends {@code request} on a connection of its own, shuts the connection's output when {@code halfClose},
         * then opens the servlet's gate; returns all the server sent until it closed the connection.
         */
        String exchange(String request, boolean halfClose) throws IOException {
            echo.gate = new CountDownLatch(1);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
                echo.gate.countDown();
                InputStream in = socket.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() throws Exception {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private static String post(String framing, String body, boolean close) {
        return "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nGate: 1\r\n" + framing + "\r\n"
                + (close ? "Connection: close\r\n" : "") + "\r\n" + body;
    }

    @Test
    void aChunkedRequestWhoseClientHalfClosesAfterTheLastChunkIsAnswered() throws Exception {
        try (Server server = new Server(RequestBodyConfiguration.PROTOCOL, dir)) {
            // without Connection: close too, the client's end of the stream being the connection's end
            for (boolean close : new boolean[] {true, false}) {
                String answer = server.exchange(post("Transfer-Encoding: chunked", CHUNKED, close), true);
                assertThat(answer)
                        .as("close=" + close)
                        .startsWith("HTTP/1.1 200 ")
                        .endsWith("\r\n\r\ngot 17");
            }
        }
    }

    @Test
    void whatWasAnsweredBeforeStillIs() throws Exception {
        try (Server server = new Server(RequestBodyConfiguration.PROTOCOL, dir)) {
            assertThat(server.exchange(post("Transfer-Encoding: chunked", CHUNKED, true), false))
                    .startsWith("HTTP/1.1 200 ")
                    .endsWith("got 17");
            assertThat(server.exchange(post("Content-Length: " + BODY.length(), BODY, true), true))
                    .startsWith("HTTP/1.1 200 ")
                    .endsWith("got 17");
            // kept alive: the chunked request, then the next one on the same connection, each answered in turn
            String two = server.exchange(
                    post("Transfer-Encoding: chunked", CHUNKED, false)
                            + post("Transfer-Encoding: chunked", "3\r\nabc\r\n0\r\n\r\n", true),
                    false);
            assertThat(two).containsSubsequence("HTTP/1.1 200 ", "got 17", "HTTP/1.1 200 ", "got 3");
            assertThat(two.split("HTTP/1.1 ", -1)).hasSize(3);
        }
    }

    @Test
    void connectorsNotMadeWithTheProtocolAreFound() {
        Connector ours = new Connector(RequestBodyConfiguration.PROTOCOL);
        ours.setPort(8080);
        Connector tomcats = new Connector(Http11NioProtocol.class.getName());
        tomcats.setPort(8081);
        assertThat(RequestBodyConfiguration.madeOtherwise(new Connector[] {ours}))
                .isEmpty();
        assertThat(RequestBodyConfiguration.madeOtherwise(new Connector[] {ours, tomcats}))
                .containsExactly("8081 (org.apache.coyote.http11.Http11NioProtocol)");
    }

    /**
     * Tomcat's own protocol processes the same request and closes the connection without its answer. When this
     * fails, Tomcat has stopped doing so: {@link ChunkedBodyEndProtocol} is no longer needed.
     */
    @Test
    void tomcatsOwnProtocolDropsTheAnswer() throws Exception {
        try (Server server = new Server(Http11NioProtocol.class.getName(), dir)) {
            assertThat(server.exchange(post("Transfer-Encoding: chunked", CHUNKED, true), true))
                    .as("Tomcat answered: ChunkedBodyEndProtocol can go")
                    .isEmpty();
            assertThat(server.exchange(post("Transfer-Encoding: chunked", CHUNKED, true), false))
                    .startsWith("HTTP/1.1 200 ");
        }
    }
}
