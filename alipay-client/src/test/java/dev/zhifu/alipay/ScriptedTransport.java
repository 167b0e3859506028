package dev.zhifu.alipay;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** An in-memory transport: records what the client sends and answers from a script. */
final class ScriptedTransport implements HttpTransport {

    record Sent(URI uri, String contentType, String body) {
        /** Path and query, host left out, as the vectors record {@code request_target}. */
        String requestTarget() {
            return uri.getRawPath() + "?" + uri.getRawQuery();
        }
    }

    final List<Sent> sent = new ArrayList<>();
    private final Deque<Object> answers = new ArrayDeque<>();

    ScriptedTransport answer(String body) {
        answers.add(new Answer(200, "text/html;charset=utf-8", body.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    ScriptedTransport answer(Answer answer) {
        answers.add(answer);
        return this;
    }

    ScriptedTransport fail(IOException e) {
        answers.add(e);
        return this;
    }

    @Override
    public Answer post(URI uri, String contentType, byte[] body, Duration timeout) throws IOException {
        sent.add(new Sent(uri, contentType, new String(body, StandardCharsets.ISO_8859_1)));
        Object next = answers.poll();
        if (next == null) {
            throw new IllegalStateException("no scripted answer left for call " + sent.size());
        }
        if (next instanceof IOException e) {
            throw e;
        }
        return (Answer) next;
    }

    @Override
    public StreamedAnswer get(URI uri, Duration timeout) throws IOException {
        sent.add(new Sent(uri, null, ""));
        Object next = answers.poll();
        if (next instanceof IOException e) {
            throw e;
        }
        Answer a = (Answer) next;
        return new StreamedAnswer(a.status(), a.contentType(), new ByteArrayInputStream(a.body()));
    }
}
