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
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * past {@code payments.http.max-buffered} 503; each with {@code Connection: close}, and the container closes such a
 * connection without draining the rest of the body, because the request is in asynchronous mode.
 *
 * <p>The connectors in front of it are made with {@link ChunkedBodyEndProtocol}: with Tomcat's own, the read that
 * reaches the end of a chunked body closes the connection without an answer when the client has already shut its
 * output ({@link RequestBodyConfiguration#PROTOCOL}).
 */
public final class RequestBodyFilter implements Filter {

    /** The received body, as a request attribute from the moment it is complete; or {@link #EXPIRED}. */
    static final String RECEIVED = RequestBodyFilter.class.getName() + ".received";
    /** The body did not arrive in time: the dispatch answers 408. */
    private static final Object EXPIRED = new Object();

    private static final Logger log = LoggerFactory.getLogger(RequestBodyFilter.class);
    /** What a body starts with (at most); it grows as bytes arrive. */
    private static final int FIRST_CHUNK = 8 * 1024;
    /**
     * The container's own asynchronous timeout stays only as a backstop behind the body deadline: when it fires,
     * Spring's HTTP server observation is stopped twice (on the timeout and on the completion) and the request
     * counted twice in {@code http.server.requests}. The deadline is kept by {@link #deadlines} instead.
     */
    private static final long BACKSTOP_MILLIS = 30_000;

    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int maxBody;
    private final long timeoutMillis;
    private final long maxBuffered;
    private final int maxParameterCount;
    private final JsonMapper json;
    /** Bytes held by bodies still arriving, all requests together. */
    private final AtomicLong buffered = new AtomicLong();
    /** One thread that only sends bodies past their deadline to their 408; it never waits for a client. */
    private final ScheduledThreadPoolExecutor deadlines;

    private final AtomicLong overloadedSince = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
    private final AtomicLong overloadedCount = new AtomicLong();

    public RequestBodyFilter(RequestBodyProperties settings, int maxParameterCount, JsonMapper json) {
        this.maxBody = (int) settings.maxBodySize().toBytes();
        this.timeoutMillis = settings.bodyTimeout().toMillis();
        this.maxBuffered = settings.maxBuffered().toBytes();
        this.maxParameterCount = maxParameterCount;
        this.json = json;
        this.deadlines = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "request-body-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        deadlines.setRemoveOnCancelPolicy(true); // a body received in time leaves nothing behind
    }

    @Override
    public void destroy() {
        deadlines.shutdownNow();
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
        if (received == EXPIRED) {
            request.removeAttribute(RECEIVED);
            refuse(
                    response,
                    HttpStatus.REQUEST_TIMEOUT,
                    "request_timeout",
                    "The request body did not arrive within " + timeoutMillis + " ms");
            // the end of an asynchronous dispatch: a connection to be closed is closed at once, nothing drained
            return;
        }
        if (request.getDispatcherType() != DispatcherType.REQUEST || !hasBody(request)) {
            chain.doFilter(request, response);
            return;
        }
        // Asynchronous from here on, refusals too: when a request ends in asynchronous mode with its connection
        // to be closed, the container closes it at once; a synchronous one first drains the unread body, on the
        // worker, as slowly as the client sends it.
        AsyncContext async = request.startAsync();
        long declared = request.getContentLengthLong();
        if (declared > maxBody) {
            tooLarge(response);
            async.complete();
            return;
        }
        long limit = declared > 0 ? declared : maxBody;
        int capacity = (int) Math.min(limit, FIRST_CHUNK);
        if (!reserve(capacity)) {
            overloaded(response);
            async.complete();
            return;
        }
        async.setTimeout(timeoutMillis + BACKSTOP_MILLIS);
        Receiver receiver = new Receiver(request, response, async, limit, capacity);
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
            BufferedBodyRequest wrapped =
                    new BufferedBodyRequest(request, body.bytes, body.length, maxParameterCount, true);
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
        chain.doFilter(
                wrapped ? request : new BufferedBodyRequest(request, body.bytes, body.length, maxParameterCount, false),
                response);
    }

    /** A body is announced by its length or by chunked transfer coding (HTTP/1.1: nothing else has one). */
    static boolean hasBody(HttpServletRequest request) {
        if (request.getContentLengthLong() > 0) {
            return true;
        }
        String coding = request.getHeader("Transfer-Encoding");
        return coding != null && coding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    private boolean reserve(long bytes) {
        long now = buffered.addAndGet(bytes);
        if (now > maxBuffered) {
            buffered.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        refuse(
                response,
                HttpStatus.PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "The request body is larger than " + maxBody + " bytes");
    }

    /** 503; logged once a minute at most, as it comes in floods. */
    private void overloaded(HttpServletResponse response) throws IOException {
        long refused = overloadedCount.incrementAndGet();
        long last = overloadedSince.get();
        long now = System.nanoTime();
        if (now - last >= WARN_EVERY_NANOS && overloadedSince.compareAndSet(last, now)) {
            overloadedCount.set(0);
            log.warn(
                    "Request bodies being received hold {} bytes together (payments.http.max-buffered is {}): "
                            + "{} request(s) answered 503 since the last such message",
                    buffered.get(),
                    maxBuffered,
                    refused);
        }
        response.setHeader("Retry-After", "1");
        refuse(
                response,
                HttpStatus.SERVICE_UNAVAILABLE,
                "busy",
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
     * 408/413/503, or dropped when the connection failed. The container calls the listener methods on its threads,
     * one at a time for a request, and the deadline comes from the {@link #deadlines} thread; the first to settle
     * the request wins, and none of them ever waits.
     */
    private final class Receiver implements ReadListener, AsyncListener {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final AsyncContext async;
        /** The declared length, or for a chunked body the size limit. */
        private final long limit;

        private final byte[] probe = new byte[1];
        private final AtomicBoolean settled = new AtomicBoolean();
        /** Bytes of {@link #buffered} this request holds. */
        private final AtomicLong held;

        private ServletInputStream in;
        private ScheduledFuture<?> deadline;
        private byte[] bytes;
        private int length;

        Receiver(
                HttpServletRequest request,
                HttpServletResponse response,
                AsyncContext async,
                long limit,
                int capacity) {
            this.request = request;
            this.response = response;
            this.async = async;
            this.limit = limit;
            this.bytes = new byte[capacity];
            this.held = new AtomicLong(capacity);
        }

        void start() throws IOException {
            deadline = deadlines.schedule(this::expired, timeoutMillis, TimeUnit.MILLISECONDS);
            in = request.getInputStream();
            in.setReadListener(this);
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!settled.get() && !in.isFinished() && in.isReady()) {
                if (length == bytes.length) {
                    if (length >= limit) {
                        // a chunked body at the limit: only its end may follow
                        int n = in.read(probe);
                        if (n > 0 && settle()) {
                            tooLarge(response);
                            complete();
                        }
                        if (n != 0) {
                            return;
                        }
                        continue;
                    }
                    if (!grow()) {
                        return;
                    }
                }
                int n = in.read(bytes, length, bytes.length - length);
                if (n < 0) {
                    return; // the end: onAllDataRead follows
                }
                length += n;
            }
        }

        /** Room for more bytes, within the memory budget; false when the request has been refused instead. */
        private boolean grow() throws IOException {
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
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            deadline.cancel(false);
            // on with the request: the bytes stay counted in max-buffered until its handler is done with them
            request.setAttribute(RECEIVED, new Received(bytes, length, held));
            async.dispatch();
        }

        /**
         * The deadline for the whole body has passed. On the deadline thread, which must never wait: the 408 is
         * written on a worker, by a dispatch of the request to this filter.
         */
        private void expired() {
            if (settle()) {
                log.debug(
                        "Request body from {} not complete after {} ms ({} bytes): 408",
                        request.getRemoteAddr(),
                        timeoutMillis,
                        length);
                request.setAttribute(RECEIVED, EXPIRED);
                try {
                    async.dispatch();
                } catch (IllegalStateException e) {
                    log.debug("Request already completing", e);
                }
            }
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

        /** Only if the deadline thread could not settle the request in time. */
        @Override
        public void onTimeout(AsyncEvent event) {
            expired();
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
            deadline.cancel(false);
            release();
            return true;
        }

        private void release() {
            buffered.addAndGet(-held.getAndSet(0));
        }
    }
}
