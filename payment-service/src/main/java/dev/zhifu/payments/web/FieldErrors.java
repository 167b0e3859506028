package dev.zhifu.payments.web;

import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;

/** Collects every problem of a request body, then refuses it once with all of them (400 {@code validation_failed}). */
public final class FieldErrors {

    public record FieldError(String field, String message) {}

    private final List<FieldError> errors = new ArrayList<>();

    public FieldErrors reject(String field, String message) {
        errors.add(new FieldError(field, message));
        return this;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public void throwIfAny() {
        if (!errors.isEmpty()) {
            String detail = errors.size() == 1
                    ? errors.get(0).field() + ": " + errors.get(0).message()
                    : errors.size() + " fields are invalid";
            throw new ApiException(HttpStatus.BAD_REQUEST, "validation_failed", detail)
                    .with("errors", List.copyOf(errors));
        }
    }
}
