package dev.zhifu.payments.reconciliation;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/** Keyset paging: walks rows ordered by id, one page at a time, so no walk holds more than a page. */
final class Pages {

    private Pages() {}

    /**
     * @param fetch     (id to start after, or null; page size) → the next page in id order
     * @param afterPage run after each page (e.g. to renew a lease)
     */
    static <T> void forEach(
            int size,
            BiFunction<String, Integer, List<T>> fetch,
            Function<T, String> idOf,
            Consumer<T> each,
            Runnable afterPage) {
        String after = null;
        List<T> page;
        do {
            page = fetch.apply(after, size);
            for (T row : page) {
                each.accept(row);
                after = idOf.apply(row);
            }
            afterPage.run();
        } while (page.size() == size);
    }
}
