package dev.zhifu.payments.reconciliation;

import dev.zhifu.payments.payments.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/**
 * Keeps each day's original bill file of each channel (Alipay's zip, WeChat Pay's CSV text) in the database (shared by every instance), as base64 chunks of 32 KiB:
 * written while it downloads and read back as a stream, so neither way holds the file in memory. A run's file
 * is written under its run number and becomes the day's file only once complete (older ones are then dropped),
 * so a failed download never loses the file of an earlier run.
 */
@Component
class BillStore {

    static final int CHUNK = 32 * 1024;

    private final ReconciliationRepository repository;

    BillStore(ReconciliationRepository repository) {
        this.repository = repository;
    }

    record Stored(long size, String sha256) {}

    /** Copies {@code zip} (or any file) into the chunks of the day's channel for {@code runNo}. */
    Stored write(LocalDate day, Channel channel, int runNo, InputStream zip) throws IOException {
        MessageDigest sha256 = sha256();
        DigestInputStream in = new DigestInputStream(zip, sha256);
        byte[] buffer = new byte[CHUNK];
        long size = 0;
        int seq = 0;
        while (true) {
            int filled = in.readNBytes(buffer, 0, CHUNK);
            if (filled == 0) {
                break;
            }
            repository.insertChunk(
                    day,
                    channel,
                    runNo,
                    seq++,
                    Base64.getEncoder()
                            .encodeToString(filled == CHUNK ? buffer : java.util.Arrays.copyOf(buffer, filled)));
            size += filled;
            if (filled < CHUNK) {
                break;
            }
        }
        return new Stored(size, HexFormat.of().formatHex(sha256.digest()));
    }

    /** Makes {@code runNo}'s file the day's only kept file. */
    void keepOnly(LocalDate day, Channel channel, int runNo) {
        repository.deleteChunksExcept(day, channel, runNo);
    }

    /** The stored file, read chunk by chunk. */
    InputStream open(LocalDate day, Channel channel, int runNo) {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int pos;
            private int nextSeq;
            private boolean done;

            private boolean fill() {
                while (pos >= current.length) {
                    if (done) {
                        return false;
                    }
                    String chunk =
                            repository.chunk(day, channel, runNo, nextSeq++).orElse(null);
                    if (chunk == null) {
                        done = true;
                        return false;
                    }
                    current = Base64.getDecoder().decode(chunk);
                    pos = 0;
                }
                return true;
            }

            @Override
            public int read() {
                return fill() ? current[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
