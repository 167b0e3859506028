package dev.zhifu.payments.web;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Receives every request body in full, in memory, before anything else of the service sees the request, and
 * without a worker thread ever waiting for it.
 *
 * <p>Why: a body read on a worker thread (a controller's {@code getInputStream()}, form parameters, Jackson) holds
 * that thread for as long as the client takes to send the body, and so does a body nobody reads: after a refusal
 * (401, 403, 404...) the container drains the rest of it on the worker before the connection can take its next
 * request. Tomcat has 200 workers; 200 connections sending a byte every few seconds took them all, and with them
 * liveness, the API, the admin console and Alipay's notifications.
 *
 * <p>How: a request that has a body ({@code Content-Length > 0} or chunked) is put in asynchronous mode and its body
 * read with the servlet's non-blocking I/O: the container calls back when bytes have arrived, the callback takes
 * what is there and returns. Once the body is complete the request is dispatched again, with the received bytes in
 * place of the connection's ({@link BufferedBodyRequest}), and goes on through every filter behind this one and to
 * its servlet as any request does. A body larger than {@code payments.http.max-body-size} is answered 413, one not
 * complete within {@code payments.http.body-timeout} 408, one that would take the bodies being received together
 * past {@code payments.http.max-buffered} 503; each with {@code Connection: close}, so the container drops the
 * connection instead of draining the rest of the body.
 */
public final class RequestBodyFilter implements Filter {

    /** The received body, as a request attribute from the moment it is complete. */
    static final String RECEIVED = RequestBodyFilter.class.getName() + ".received";

    private static final Logger log = LoggerFactory.getLogger(RequestBodyFilter.class);
    /** What a body starts with when its length is not declared; it grows as bytes arrive. */
    private static final int FIRST_CHUNK = 8 * 1024;

    private final int maxBody;
    private final long timeoutMillis;
    private final long maxBuffered;
    private final int maxParameterCount;
    private final JsonMapper json;
    /** Bytes held by bodies still arriving, all requests together. */
    private final AtomicLong buffered = new AtomicLong();

    public RequestBodyFilter(RequestBodyProperties settings, int maxParameterCount, JsonMapper json) {
        this.maxBody = (int) settings.maxBodySize().toBytes();
        this.timeoutMillis = settings.bodyTimeout().toMillis();
        this.maxBuffered = settings.maxBuffered().toBytes();
        this.maxParameterCount = maxParameterCount;
        this.json = json;
    }

    /** Bytes held now by bodies still arriving (for tests and diagnostics). */
    long bufferedBytes() {
        return buffered.get();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        Object received = request.getAttribute(RECEIVED);
        if (received instanceof Received body) {
            deliver(body, request, response, chain);
            return;
        }
        if (request.getDispatcherType() != DispatcherType.REQUEST || !hasBody(request)) {
            chain.doFilter(request, response);
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBody) {
            refuse(response, HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large",
                    "The request body is larger than " + maxBody + " bytes");
            return;
        }
        int capacity = declared > 0 ? (int) Math.min(declared, FIRST_CHUNK) : FIRST_CHUNK;
        if (!reserve(capacity)) {
            overloaded(response);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(timeoutMillis);
        Receiver receiver = new Receiver(request, response, async, declared, capacity);
        async.addListener(receiver);
        receiver.start();
    }

    /**
     * The body has been received: on with the request, its bytes in place of the connection's. The dispatch that
     * hands them over passes as the request's first ({@link BufferedBodyRequest#getDispatcherType()}).
     */
    private void deliver(Received body, HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (body.handedOver.compareAndSet(false, true)) {
            BufferedBodyRequest wrapped = new BufferedBodyRequest(request, body.bytes, body.length, maxParameterCount,
                    true);
            try {
                chain.doFilter(wrapped, response);
            } finally {
                wrapped.handedOver();
                body.release();
            }
            return;
        }
        // a later dispatch of the same request (the application's own async processing): the body stays readable
        boolean wrapped = request instanceof ServletRequestWrapper w && w.isWrapperFor(BufferedBodyRequest.class);
        chain.doFilter(wrapped ? request : new BufferedBodyRequest(request, body.bytes, body.length,
                maxParameterCount, false), response);
    }

    /** A body is announced by its length or by chunked transfer coding (HTTP/1.1: nothing else has one). */
    static boolean hasBody(HttpServletRequest request) {
        if (request.getContentLengthLong() > 0) {
            return true;
        }
        String coding = request.getHeader("Transfer-Encoding");
        return coding != null && coding.toLowerCase(java.util.Locale.ROOT).contains("chunked");
    }

    private boolean reserve(long bytes) {
        long now = buffered.addAndGet(bytes);
        if (now > maxBuffered) {
            buffered.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    private void overloaded(HttpServletResponse response) throws IOException {
        log.warn("Request bodies being received hold {} bytes together (payments.http.max-buffered); answering 503",
                buffered.get());
        response.setHeader("Retry-After", "1");
        refuse(response, HttpStatus.SERVICE_UNAVAILABLE, "busy",
                "Too many request bodies are being received at once; try again");
    }

    /**
     * Answers and has the connection closed: the rest of the body is never read, and nothing waits for it. The
     * status codes used here make the container close the connection anyway; the header says so to the client.
     */
    private void refuse(HttpServletResponse response, HttpStatus status, String code, String detail)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status.value());
        response.setHeader("Connection", "close");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        byte[] problem = json.writeValueAsString(ProblemHandler.asMap(ProblemHandler.problem(status, code, detail)))
                .getBytes(StandardCharsets.UTF_8);
        response.setContentLength(problem.length);
        response.getOutputStream().write(problem);
    }

    /** A complete body, waiting for its dispatch or being handed over. */
    private final class Received {
        final byte[] bytes;
        final int length;
        final AtomicBoolean handedOver = new AtomicBoolean();
        private final AtomicLong held;

        Received(byte[] bytes, int length, AtomicLong held) {
            this.bytes = bytes;
            this.length = length;
            this.held = held;
        }

        void release() {
            buffered.addAndGet(-held.getAndSet(0));
        }
    }

    /**
     * Reads one request's body as it arrives and settles the request once: dispatched with its body, or answered
     * 408/413/503, or dropped when the connection failed. The container calls each of these methods on one of its
     * threads, one at a time for a request; none of them ever waits.
     */
    private final class Receiver implements ReadListener, AsyncListener {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final AsyncContext async;
        private final long declared;
        private final AtomicBoolean settled = new AtomicBoolean();
        /** Bytes of {@link #buffered} this request holds. */
        private final AtomicLong held;
        private ServletInputStream in;
        private byte[] bytes;
        private int length;

        Receiver(HttpServletRequest request, HttpServletResponse response, AsyncContext async, long declared,
                 int capacity) {
            this.request = request;
            this.response = response;
            this.async = async;
            this.declared = declared;
            this.bytes = new byte[capacity];
            this.held = new AtomicLong(capacity);
        }

        void start() throws IOException {
            in = request.getInputStream();
            in.setReadListener(this);
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!settled.get() && !in.isFinished() && in.isReady()) {
                if (length == bytes.length && !grow()) {
                    return;
                }
                int n = in.read(bytes, length, bytes.length - length);
                if (n < 0) {
                    return; // the end: onAllDataRead follows
                }
                length += n;
            }
        }

        /** Room for more bytes, within the limits; false when the request has been refused instead. */
        private boolean grow() throws IOException {
            // a chunked body may grow one byte past the limit: that byte shows it is too large
            long limit = declared > 0 ? declared : maxBody + 1L;
            if (length >= limit) {
                if (settle()) {
                    refuse(response, HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large",
                            "The request body is larger than " + maxBody + " bytes");
                    complete();
                }
                return false;
            }
            int capacity = (int) Math.min(limit, Math.max((long) bytes.length * 2, FIRST_CHUNK));
            int more = capacity - bytes.length;
            if (!reserve(more)) {
                if (settle()) {
                    overloaded(response);
                    complete();
                }
                return false;
            }
            held.addAndGet(more);
            bytes = Arrays.copyOf(bytes, capacity);
            return true;
        }

        @Override
        public void onAllDataRead() {
            if (length > maxBody) {
                // a chunked body that ended exactly one byte over the limit
                if (settle()) {
                    try {
                        refuse(response, HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large",
                                "The request body is larger than " + maxBody + " bytes");
                    } catch (IOException e) {
                        log.debug("Could not answer 413", e);
                    }
                    complete();
                }
                return;
            }
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            // on with the request: the bytes stay counted in max-buffered until its handler is done with them
            request.setAttribute(RECEIVED, new Received(bytes, length, held));
            async.dispatch();
        }

        /**
         * The connection failed: closed by the client before the end, or silent for longer than the connector's
         * connection timeout. The container closes it; nothing to answer.
         */
        @Override
        public void onError(Throwable t) {
            log.debug("Request body not received from {}: {}", request.getRemoteAddr(), t.toString());
            if (settle()) {
                complete();
            }
        }

        /** The deadline for the whole body has passed. */
        @Override
        public void onTimeout(AsyncEvent event) {
            if (settle()) {
                log.debug("Request body from {} not complete after {} ms ({} bytes): 408", request.getRemoteAddr(),
                        timeoutMillis, length);
                try {
                    refuse(response, HttpStatus.REQUEST_TIMEOUT, "request_timeout",
                            "The request body did not arrive within " + timeoutMillis + " ms");
                } catch (IOException e) {
                    log.debug("Could not answer 408", e);
                }
                complete();
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            if (settle()) {
                complete();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            release(); // whichever way the request ended: nothing stays counted
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // the body was released when it was handed over: nothing to follow in a later async cycle
        }

        /** Ends the request here: without it the container would make an error dispatch of its own. */
        private void complete() {
            try {
                async.complete();
            } catch (IllegalStateException e) {
                log.debug("Request already completing", e);
            }
        }

        /** True for the one caller that settles the request; its reserved bytes are released then. */
        private boolean settle() {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            release();
            bytes = null;
            return true;
        }

        private void release() {
            buffered.addAndGet(-held.getAndSet(0));
        }
    }
}
