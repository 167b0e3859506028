package dev.zhifu.alipay.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;

/** Just enough DER to recognise PKCS#1 structures; full ASN.1 is the JDK's job. */
final class Der {

    private Der() {}

    static byte[] wrap(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length <= 0xff) {
            out.write(0x81);
            out.write(length);
        } else if (length <= 0xffff) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** Reads a SEQUENCE that starts with at least {@code count} INTEGERs; throws when it does not. */
    static BigInteger[] readSequenceOfIntegers(byte[] der, int count) {
        int[] pos = {0};
        expect(der, pos, 0x30);
        int seqLength = length(der, pos);
        if (pos[0] + seqLength != der.length) {
            throw new IllegalArgumentException("trailing bytes");
        }
        BigInteger[] result = new BigInteger[count];
        for (int i = 0; i < count; i++) {
            expect(der, pos, 0x02);
            int len = length(der, pos);
            if (len <= 0 || pos[0] + len > der.length) {
                throw new IllegalArgumentException("bad integer");
            }
            byte[] value = new byte[len];
            System.arraycopy(der, pos[0], value, 0, len);
            pos[0] += len;
            result[i] = new BigInteger(value);
        }
        return result;
    }

    private static void expect(byte[] der, int[] pos, int tag) {
        if (pos[0] >= der.length || (der[pos[0]] & 0xff) != tag) {
            throw new IllegalArgumentException("unexpected tag");
        }
        pos[0]++;
    }

    private static int length(byte[] der, int[] pos) {
        if (pos[0] >= der.length) {
            throw new IllegalArgumentException("truncated");
        }
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int bytes = first & 0x7f;
        if (bytes == 0 || bytes > 3 || pos[0] + bytes > der.length) {
            throw new IllegalArgumentException("bad length");
        }
        int length = 0;
        for (int i = 0; i < bytes; i++) {
            length = (length << 8) | (der[pos[0]++] & 0xff);
        }
        return length;
    }
}
