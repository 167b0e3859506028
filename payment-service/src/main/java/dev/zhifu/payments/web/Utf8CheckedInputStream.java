package dev.zhifu.payments.web;

import java.io.CharConversionException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Passes bytes through while checking, as they are read, that they are well-formed UTF-8 by the JDK's strict
 * decoder. Jackson's byte parser accepts some ill-formed sequences (overlong forms such as {@code C1 B6} for
 * {@code v}, encoded surrogates) and would store what it made of them; this fails the read instead, without
 * buffering the body.
 */
final class Utf8CheckedInputStream extends FilterInputStream {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharBuffer scratch = CharBuffer.allocate(512);
    /** The start of a sequence cut off by the end of the last read (at most 3 bytes). */
    private final byte[] pending = new byte[3];

    private int pendingLength;
    /** Bytes the decoder has taken so far, for the error message. */
    private long offset;

    private boolean finished;

    Utf8CheckedInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            finish();
        } else {
            check(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            finish();
        } else {
            check(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipped bytes are bytes too: read them through the check
        byte[] sink = new byte[(int) Math.min(n, 8192)];
        int read = read(sink, 0, sink.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void check(byte[] b, int off, int len) throws IOException {
        if (pendingLength == 0 && ascii(b, off, len)) {
            offset += len;
            return;
        }
        ByteBuffer input;
        if (pendingLength == 0) {
            input = ByteBuffer.wrap(b, off, len);
        } else {
            input = ByteBuffer.allocate(pendingLength + len)
                    .put(pending, 0, pendingLength)
                    .put(b, off, len)
                    .flip();
        }
        decode(input, false);
        pendingLength = input.remaining();
        input.get(pending, 0, pendingLength);
    }

    private void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        decode(ByteBuffer.wrap(pending, 0, pendingLength), true);
        pendingLength = 0;
    }

    private void decode(ByteBuffer input, boolean last) throws IOException {
        while (true) {
            int start = input.position();
            scratch.clear();
            CoderResult result = decoder.decode(input, scratch, last);
            offset += input.position() - start;
            if (result.isError()) {
                throw new CharConversionException("the body is not valid UTF-8 (at byte " + offset + ")");
            }
            if (result.isUnderflow()) {
                return;
            }
        }
    }

    private static boolean ascii(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
