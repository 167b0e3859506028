package dev.zhifu.loadtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket to 127.0.0.1, byte for byte as given: for header abuse, wrong charsets and
 * bodies no well-behaved client would send. One request per connection ({@code Connection: close}), whose output is
 * shut once the request is written, as HTTP/1.0-style tools, {@code nc -N} and some proxies do: every request, a
 * chunked one included, must still get its answer.
 */
final class RawHttp {

    /** @param status 0 when the server closed the connection without an answer */
    record Response(int status, Map<String, String> headers, byte[] body, String problem) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /**
     * Sends {@code METHOD path} with the headers (name, value as raw ISO-8859-1 text) and the body (as given: chunks
     * too, when the headers say {@code Transfer-Encoding}), then shuts the connection's output and reads the answer.
     */
    Response send(String method, String path, Map<String, byte[]> headers, byte[] body) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        write(head, method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n");
        boolean hasLength = false;
        for (Map.Entry<String, byte[]> h : headers.entrySet()) {
            hasLength |=
                    h.getKey().equalsIgnoreCase("Content-Length") || h.getKey().equalsIgnoreCase("Transfer-Encoding");
            write(head, h.getKey() + ": ");
            head.writeBytes(h.getValue());
            write(head, "\r\n");
        }
        if (body != null && !hasLength) {
            write(head, "Content-Length: " + body.length + "\r\n");
        }
        write(head, "\r\n");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            String writeProblem = null;
            try {
                OutputStream out = socket.getOutputStream();
                out.write(head.toByteArray());
                if (body != null) {
                    out.write(body);
                }
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                writeProblem = "write: " + e.getMessage(); // the server may answer and close before reading it all
            }
            byte[] raw;
            try (InputStream in = socket.getInputStream()) {
                raw = in.readNBytes(8 * 1024 * 1024);
            } catch (IOException e) {
                return new Response(
                        0,
                        Map.of(),
                        new byte[0],
                        (writeProblem == null ? "" : writeProblem + "; ") + "read: " + e.getMessage());
            }
            return parse(raw, writeProblem);
        } catch (IOException e) {
            return new Response(0, Map.of(), new byte[0], "connect: " + e.getMessage());
        }
    }

    private static Response parse(byte[] raw, String problem) {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (end < 0) {
            return new Response(
                    0,
                    Map.of(),
                    raw,
                    (problem == null ? "" : problem + "; ") + "no complete answer (" + raw.length + " bytes)");
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(Integer.parseInt(statusLine[1]), headers, body, problem);
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (pos < body.length) {
            int lineEnd = indexOf(
                    java.util.Arrays.copyOfRange(body, pos, body.length), "\r\n".getBytes(StandardCharsets.US_ASCII));
            if (lineEnd < 0) {
                break;
            }
            String size = new String(body, pos, lineEnd, StandardCharsets.US_ASCII).split(";")[0].trim();
            int n = Integer.parseInt(size, 16);
            pos += lineEnd + 2;
            if (n == 0) {
                break;
            }
            out.write(body, pos, Math.min(n, body.length - pos));
            pos += n + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void write(ByteArrayOutputStream out, String ascii) {
        out.writeBytes(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }
}
