package dev.zhifu.payments.web;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;

/**
 * A QR code as SVG, one path of unit squares: sharp at any size, no image library (and no AWT) needed. Used by
 * the demo shop's order page and the {@code any_qr} page.
 */
public final class QrCodeSvg {

    private QrCodeSvg() {}

    public static String of(String content) {
        BitMatrix m;
        try {
            // size 0: one pixel per module; the viewBox scales it
            m = new QRCodeWriter()
                    .encode(
                            content,
                            BarcodeFormat.QR_CODE,
                            0,
                            0,
                            Map.of(
                                    EncodeHintType.CHARACTER_SET,
                                    "UTF-8",
                                    EncodeHintType.MARGIN,
                                    2,
                                    EncodeHintType.ERROR_CORRECTION,
                                    ErrorCorrectionLevel.M));
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode a QR code of " + content.length() + " characters", e);
        }
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                if (m.get(x, y)) {
                    path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + m.getWidth() + " " + m.getHeight()
                + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
                + "<path fill=\"#000\" d=\"" + path + "\"/></svg>";
    }

    /** The code as a {@code data:} URL for an {@code img} (the pages' policy allows {@code img-src data:}). */
    public static String dataUrl(String content) {
        return "data:image/svg+xml;base64,"
                + java.util.Base64.getEncoder()
                        .encodeToString(of(content).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
