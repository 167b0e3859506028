package dev.zhifu.payments.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.tomcat.util.http.Parameters;

/**
 * A request whose body {@link RequestBodyFilter} has already received: the body's bytes, exactly as sent, from
 * {@link #getInputStream()} and {@link #getReader()}; form parameters parsed from them.
 */
final class BufferedBodyRequest extends HttpServletRequestWrapper {

    private final byte[] body;
    private final int length;
    private final int maxParameterCount;
    /** Whether this is the dispatch that hands the received body over (see {@link #getDispatcherType()}). */
    private volatile boolean handOver;

    private ServletInputStream stream;
    private BufferedReader reader;
    private Map<String, String[]> parameters;
    private RuntimeException parameterFailure;

    BufferedBodyRequest(HttpServletRequest request, byte[] body, int length, int maxParameterCount, boolean handOver) {
        super(request);
        this.body = body;
        this.length = length;
        this.maxParameterCount = maxParameterCount;
        this.handOver = handOver;
    }

    void handedOver() {
        handOver = false;
    }

    /**
     * {@code REQUEST} while the received body is handed over: that dispatch is the request's first pass through the
     * application, so every filter behind must treat it as one. (Spring's once-per-request filters skip an
     * {@code ASYNC} dispatch, Spring Security included, which would leave the request unchecked.) Any later
     * dispatch, e.g. of Spring MVC's own async processing, is what the container says it is.
     */
    @Override
    public DispatcherType getDispatcherType() {
        return handOver ? DispatcherType.REQUEST : super.getDispatcherType();
    }

    @Override
    public int getContentLength() {
        return length;
    }

    @Override
    public long getContentLengthLong() {
        return length;
    }

    @Override
    public ServletInputStream getInputStream() {
        if (stream == null) {
            stream = new BodyStream(body, length);
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (reader == null) {
            reader = new BufferedReader(new InputStreamReader(getInputStream(), bodyCharset()));
        }
        return reader;
    }

    @Override
    public String getParameter(String name) {
        String[] values = parameters().get(name);
        return values == null ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters().keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = parameters().get(name);
        return values == null ? null : values.clone();
    }

    /**
     * The query string's parameters (the container's; it parses no body once the body has been read as a stream)
     * and, for a form POST, those of the body, after them, as the container itself would have parsed the body:
     * its own parser, the request's charset, the same limit on their number. A malformed body fails every call
     * with the container's exception, as it would have.
     */
    private Map<String, String[]> parameters() {
        if (parameterFailure != null) {
            throw parameterFailure;
        }
        if (parameters != null) {
            return parameters;
        }
        Map<String, String[]> query = super.getParameterMap();
        if (!isFormPost()) {
            parameters = query;
            return parameters;
        }
        Parameters form = new Parameters();
        form.setCharset(bodyCharset());
        form.setLimit(maxParameterCount < 0 ? -1 : Math.max(0, maxParameterCount - query.size()));
        try {
            form.processParameters(body, 0, length);
        } catch (RuntimeException e) {
            parameterFailure = e;
            throw e;
        }
        Map<String, String[]> merged = new LinkedHashMap<>(query);
        for (Enumeration<String> names = form.getParameterNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            String[] fromBody = form.getParameterValues(name);
            merged.merge(name, fromBody, (fromQuery, more) -> {
                String[] both = java.util.Arrays.copyOf(fromQuery, fromQuery.length + more.length);
                System.arraycopy(more, 0, both, fromQuery.length, more.length);
                return both;
            });
        }
        parameters = Collections.unmodifiableMap(merged);
        return parameters;
    }

    /** As the container decides: only POST bodies, only {@code application/x-www-form-urlencoded}. */
    private boolean isFormPost() {
        String type = getContentType();
        if (type == null || !"POST".equals(getMethod())) {
            return false;
        }
        int semicolon = type.indexOf(';');
        String mediaType =
                (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/x-www-form-urlencoded");
    }

    /** The request's charset, ISO-8859-1 when none is known (the servlet default). */
    private Charset bodyCharset() {
        String name = getCharacterEncoding();
        if (name != null) {
            try {
                return Charset.forName(name);
            } catch (IllegalArgumentException e) {
                // an unknown charset: the container would fall back as well
            }
        }
        return StandardCharsets.ISO_8859_1;
    }

    /** The received bytes; never blocks, always ready. */
    private static final class BodyStream extends ServletInputStream {
        private final byte[] bytes;
        private final int end;
        private int position;

        BodyStream(byte[] bytes, int end) {
            this.bytes = bytes;
            this.end = end;
        }

        @Override
        public int read() {
            return position < end ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int n = Math.min(len, end - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public int available() {
            return end - position;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, end - position));
            position += (int) skipped;
            return skipped;
        }

        @Override
        public boolean isFinished() {
            return position >= end;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        /** Everything is here already: the listener is told so at once. */
        @Override
        public void setReadListener(ReadListener listener) {
            try {
                if (!isFinished()) {
                    listener.onDataAvailable();
                }
                listener.onAllDataRead();
            } catch (IOException e) {
                listener.onError(e);
            }
        }
    }
}
