package dev.zhifu.sandbox.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The file behind {@code --state-file}: JSON lines that both gateways append to, each line naming its gateway in
 * {@code channel} (a line without it is an Alipay trade, as every line was before WeChat Pay orders were kept). The
 * file is only ever appended to, in whole lines; a line cut by a crash is left where it is and the next append
 * starts a new line after it, so each journal just skips what it cannot read.
 */
public final class StateFile {

    /** The field naming the gateway a line belongs to. */
    public static final String CHANNEL = "channel";

    public static final String ALIPAY = "alipay";
    public static final String WECHATPAY = "wechatpay";

    private final Path file;
    /** The file ends inside a line (a crash cut it): the next append starts a new one. */
    private boolean cut;
    /** {@link #cut} was found out, by reading the file or appending to it. */
    private boolean known;

    public StateFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /** The gateway a parsed line belongs to: its {@code channel}, {@code alipay} when it has none. */
    public static String channel(JsonNode line) {
        JsonNode c = line.get(CHANNEL);
        return c == null || c.isNull() ? ALIPAY : c.asText();
    }

    /** Every line of the file, in order (none when it does not exist yet); the last one may be cut short. */
    public synchronized List<String> lines() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            cut = !text.isEmpty() && !text.endsWith("\n");
            known = true;
            List<String> lines = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sandbox's trades from " + file, e);
        }
    }

    /** Appends these lines (each without its line end) in one write; nothing when there are none. */
    public synchronized void append(List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        if (!known) {
            cut = endsInsideALine();
        }
        if (cut) {
            text.append('\n');
        }
        lines.forEach(l -> text.append(l).append('\n'));
        // one append of whole lines: two processes sharing a data directory do not cut into each other's lines
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        try (FileChannel out = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sandbox's trades to " + file, e);
        }
        cut = false;
        known = true;
    }

    private boolean endsInsideALine() {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            if (in.size() == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            in.read(last, in.size() - 1);
            return last.get(0) != '\n';
        } catch (java.nio.file.NoSuchFileException absent) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sandbox's trades from " + file, e);
        }
    }

    /** A line's text field; null when absent or JSON null. */
    public static String text(JsonNode line, String field) {
        JsonNode v = line.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A line's instant (ISO-8601, as {@link #instant(Instant)} writes it); null when absent. */
    public static Instant instant(JsonNode line, String field) {
        String v = text(line, field);
        return v == null ? null : Instant.parse(v);
    }

    public static String instant(Instant at) {
        return at == null ? null : at.toString();
    }
}
