package dev.zhifu.payments.demo;

import java.util.List;
import java.util.Optional;

/**
 * What the demo shop sells. Names are message keys ({@code product.<id>}), so the subject Alipay shows is in
 * the buyer's language.
 *
 * @param glyph one character drawn as the product's picture (its colour is {@code .pic-<id>} in pages.css)
 */
public record DemoProduct(String id, String price, String glyph) {

    static final List<DemoProduct> CATALOGUE = List.of(
            new DemoProduct("coffee", "9.90", "咖"),
            new DemoProduct("tea", "38.00", "茶"),
            new DemoProduct("headphones", "299.00", "耳"));

    public static Optional<DemoProduct> find(String id) {
        return CATALOGUE.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    public String nameKey() {
        return "product." + id;
    }
}
