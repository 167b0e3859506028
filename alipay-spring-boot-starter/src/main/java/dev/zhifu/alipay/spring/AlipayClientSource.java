package dev.zhifu.alipay.spring;

import dev.zhifu.alipay.AlipayClient;

/**
 * The {@link AlipayClient} an application uses at this moment. The starter's is the one client it builds from
 * {@code alipay.*}; an application that builds its own, or replaces it while running (new keys, a gateway known only
 * once the server listens), declares a bean of this type: the starter then builds no client, and its health
 * indicator checks the gateway of the source's client.
 */
@FunctionalInterface
public interface AlipayClientSource {

    /** @throws IllegalStateException while there is no client yet */
    AlipayClient client();
}
