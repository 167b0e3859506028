package dev.zhifu.alipay.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a certificate is Alipay's: an end-entity certificate usable for signatures that the JDK's
 * PKIX validation chains to one of the configured Alipay roots. Used before trusting a certificate downloaded
 * after a rotation, and by {@code doctor}.
 *
 * <p>PKIX, not a walk by names and signatures: every merchant holds the private key of its own app
 * certificate, which Alipay's Class 1 CA issues under the same root, so a chain check that does not require
 * each issuer to be a CA (basicConstraints cA, keyUsage keyCertSign) lets any merchant mint "Alipay"
 * certificates. Revocation is not checked: the client has no network access besides the gateway.
 */
public final class CertChain {

    private static final int MAX_INTERMEDIATES = 5;

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
     * Verifies {@code leaf} with the help of {@code intermediates} (e.g. the rest of the same PEM file, in any
     * order; certificates that are not part of the chain are ignored).
     *
     * @throws GeneralSecurityException with a reason when {@code leaf} is not an end-entity certificate that
     *         may sign, or no valid chain leads from it to a configured root valid at {@code now}
     */
    public void verify(X509Certificate leaf, List<X509Certificate> intermediates, Instant now)
            throws GeneralSecurityException {
        Date at = Date.from(now);
        String name = leaf.getSubjectX500Principal().getName();
        checkValidity(leaf, at);
        if (leaf.getBasicConstraints() != -1) {
            throw new GeneralSecurityException(name + " is a CA certificate, not an end-entity certificate");
        }
        boolean[] usage = leaf.getKeyUsage();
        if (usage != null && (usage.length == 0 || !usage[0])) {
            throw new GeneralSecurityException(name + ": its keyUsage does not include digitalSignature");
        }

        Set<TrustAnchor> anchors = new HashSet<>();
        List<X509Certificate> outOfDate = new ArrayList<>();
        for (X509Certificate root : roots) {
            // PKIX takes a trust anchor as a name and a key, its dates unread: drop the roots not valid now
            try {
                root.checkValidity(at);
                anchors.add(new TrustAnchor(root, null));
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                outOfDate.add(root);
            }
        }
        if (anchors.isEmpty()) {
            List<String> names = new ArrayList<>();
            outOfDate.forEach(root -> names.add(validity(root)));
            throw new GeneralSecurityException(
                    "none of the configured root certificates is valid on " + now + ": " + String.join("; ", names));
        }

        X509CertSelector target = new X509CertSelector();
        target.setCertificate(leaf);
        PKIXBuilderParameters params;
        try {
            params = new PKIXBuilderParameters(anchors, target);
        } catch (InvalidAlgorithmParameterException e) {
            throw new GeneralSecurityException("unusable root certificates: " + e.getMessage(), e);
        }
        List<X509Certificate> pool = new ArrayList<>(intermediates);
        pool.add(leaf);
        params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
        params.setRevocationEnabled(false);
        params.setDate(at);
        params.setMaxPathLength(MAX_INTERMEDIATES);
        try {
            CertPathBuilder.getInstance("PKIX").build(params);
        } catch (CertPathBuilderException e) {
            // the builder only says "unable to find valid certification path": name the link that breaks
            throw new GeneralSecurityException(why(leaf, intermediates, params, outOfDate, now), e);
        }
    }

    private static void checkValidity(X509Certificate cert, Date at) throws GeneralSecurityException {
        String name = cert.getSubjectX500Principal().getName();
        try {
            cert.checkValidity(at);
        } catch (CertificateExpiredException e) {
            throw new CertificateExpiredException(
                    name + " expired on " + cert.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new CertificateNotYetValidException(
                    name + " is not yet valid (from " + cert.getNotBefore().toInstant() + ")");
        }
    }

    /**
     * The reason no path was built: the likeliest path, followed by issuer names (preferring an issuer whose
     * key verifies the signature), run through the PKIX validator, whose failures say which certificate
     * fails which check.
     */
    private static String why(
            X509Certificate leaf,
            List<X509Certificate> intermediates,
            PKIXParameters params,
            List<X509Certificate> outOfDate,
            Instant now) {
        List<X509Certificate> path = new ArrayList<>();
        path.add(leaf);
        List<X509Certificate> pool = new ArrayList<>(intermediates);
        X509Certificate current = leaf;
        while (path.size() <= MAX_INTERMEDIATES + 1 && !issuedByAnchor(current, params.getTrustAnchors())) {
            X509Certificate issuer = issuerIn(pool, current);
            if (issuer == null) {
                break;
            }
            pool.remove(issuer);
            path.add(issuer);
            current = issuer;
        }
        X509Certificate top = path.get(path.size() - 1);
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            CertPathValidator.getInstance("PKIX").validate(certPath, params);
        } catch (CertPathValidatorException e) {
            if (e.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
                for (X509Certificate root : outOfDate) {
                    if (root.getSubjectX500Principal().equals(top.getIssuerX500Principal())) {
                        return "the configured root " + validity(root) + " is not valid on " + now;
                    }
                }
                return "no trusted issuer found for "
                        + top.getSubjectX500Principal().getName();
            }
            String at = e.getIndex() >= 0 && e.getIndex() < path.size()
                    ? path.get(e.getIndex()).getSubjectX500Principal().getName() + ": "
                    : "";
            if (e.getReason() == PKIXReason.NOT_CA_CERT) {
                return at + "not a CA certificate (no basicConstraints cA), so it may not issue certificates";
            }
            if (e.getReason() == PKIXReason.INVALID_KEY_USAGE) {
                return at + "its keyUsage does not include keyCertSign, so it may not issue certificates";
            }
            if (e.getReason() == PKIXReason.PATH_TOO_LONG) {
                return "certificate chain is too long";
            }
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return at + "expired on " + path.get(e.getIndex()).getNotAfter().toInstant();
            }
            if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return at + "not yet valid (from "
                        + path.get(e.getIndex()).getNotBefore().toInstant() + ")";
            }
            return at + e.getMessage();
        } catch (GeneralSecurityException e) {
            return e.getMessage();
        }
        return "no valid certification path to a configured root";
    }

    private static String validity(X509Certificate cert) {
        return cert.getSubjectX500Principal().getName() + " (valid "
                + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant() + ")";
    }

    private static boolean issuedByAnchor(X509Certificate cert, Set<TrustAnchor> anchors) {
        for (TrustAnchor anchor : anchors) {
            if (anchor.getTrustedCert().getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                return true;
            }
        }
        return false;
    }

    private static X509Certificate issuerIn(List<X509Certificate> pool, X509Certificate cert) {
        X509Certificate byName = null;
        for (X509Certificate candidate : pool) {
            if (candidate.getSubjectX500Principal().equals(cert.getIssuerX500Principal()) && !candidate.equals(cert)) {
                if (signs(candidate, cert)) {
                    return candidate;
                }
                if (byName == null) {
                    byName = candidate;
                }
            }
        }
        return byName;
    }

    private static boolean signs(X509Certificate issuer, X509Certificate cert) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
