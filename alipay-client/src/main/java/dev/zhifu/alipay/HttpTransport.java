package dev.zhifu.alipay;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;

/**
 * The HTTP the client needs: a form POST and a streamed GET. The default is the JDK's
 * {@link java.net.http.HttpClient}; a custom one (proxy, mTLS, tracing) can be plugged in.
 */
public interface HttpTransport {

    /** POSTs {@code body}; returns the answer. {@link java.net.http.HttpTimeoutException} for time-outs. */
    Answer post(URI uri, String contentType, byte[] body, Duration timeout) throws IOException, InterruptedException;

    /** GETs a URL and hands back the body as a stream the caller closes. */
    StreamedAnswer get(URI uri, Duration timeout) throws IOException, InterruptedException;

    /**
     * A full answer: status, Content-Type (may be null), body, and Alipay's {@code trace_id} response header
     * (null when absent), which Alipay support asks for when investigating a call.
     */
    record Answer(int status, String contentType, byte[] body, String traceId) {
        public Answer(int status, String contentType, byte[] body) {
            this(status, contentType, body, null);
        }
    }

    /** A streamed answer. */
    record StreamedAnswer(int status, String contentType, InputStream body) {}
}
