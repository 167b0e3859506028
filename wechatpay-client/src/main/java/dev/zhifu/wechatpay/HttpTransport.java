package dev.zhifu.wechatpay;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The HTTP the client needs: one exchange with headers. The default is the JDK's {@link java.net.http.HttpClient}
 * ({@link JdkHttpTransport}); a custom one (proxy, mTLS, tracing) can be plugged in.
 */
public interface HttpTransport {

    /** Sends a request ({@code body} null for GET) and returns the whole answer. */
    Answer send(String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException, InterruptedException;

    /** An answer; header names are looked up without regard to case, as HTTP says. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        public Answer {
            TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            copy.putAll(headers);
            headers = java.util.Collections.unmodifiableMap(copy);
            body = body == null ? new byte[0] : body;
        }

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }
    }
}
