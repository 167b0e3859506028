package dev.zhifu.alipay.crypto;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Checks that a certificate chains to one of the configured Alipay roots: validity dates, issuer lookup by
 * DN, and each signature. Used before trusting a certificate downloaded after a rotation (SPEC §7.3).
 */
public final class CertChain {

    private static final int MAX_DEPTH = 6;

    private final List<X509Certificate> roots;

    public CertChain(List<X509Certificate> roots) {
        this.roots = List.copyOf(roots);
    }

    /** Roots read from a PEM bundle; unreadable blocks (SM2) are skipped. */
    public static CertChain ofRootBundle(String pemText, String what) {
        List<X509Certificate> roots = PemCertificates.all(pemText);
        if (roots.isEmpty()) {
            throw new KeyMaterialException(what + ": holds no readable root certificate");
        }
        return new CertChain(roots);
    }

    /**
     * Verifies {@code leaf} with the help of {@code intermediates} (e.g. the rest of the same PEM file).
     *
     * @throws GeneralSecurityException with a reason when the chain does not end at a configured root
     */
    public void verify(X509Certificate leaf, List<X509Certificate> intermediates, Instant now)
            throws GeneralSecurityException {
        List<X509Certificate> pool = new ArrayList<>(intermediates);
        Date at = Date.from(now);
        X509Certificate current = leaf;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            current.checkValidity(at);
            for (X509Certificate root : roots) {
                if (root.getSubjectX500Principal().equals(current.getIssuerX500Principal())
                        && verifiesWith(current, root)) {
                    root.checkValidity(at);
                    return;
                }
            }
            X509Certificate issuer = null;
            for (X509Certificate candidate : pool) {
                if (candidate != current
                        && candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())
                        && verifiesWith(current, candidate)) {
                    issuer = candidate;
                    break;
                }
            }
            if (issuer == null) {
                throw new GeneralSecurityException("no trusted issuer found for "
                        + current.getSubjectX500Principal().getName());
            }
            pool.remove(issuer);
            current = issuer;
        }
        throw new GeneralSecurityException("certificate chain is too long");
    }

    private static boolean verifiesWith(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
