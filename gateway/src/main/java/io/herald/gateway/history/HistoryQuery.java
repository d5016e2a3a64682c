package io.herald.gateway.history;

import java.util.Optional;
import java.util.function.Function;

/**
 * What a REST history read asks for: the events of one epoch with offsets strictly between
 * {@code after} and {@code before}, walked {@code forward} from {@code after} (oldest first) or
 * {@code backward} from {@code before} (newest first), at most {@code limit} of them.
 *
 * @param after events with a greater offset; 0 for the first of the epoch
 * @param before events with a smaller offset; {@link Long#MAX_VALUE} for no bound
 * @param epoch the epoch to read; empty for the channel's current one
 */
public record HistoryQuery(long after, long before, int limit, boolean forward, Optional<String> epoch) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    /** An epoch is a short random string; anything much longer is not one. */
    private static final int MAX_EPOCH_LENGTH = 64;

    /**
     * Reads the query parameters {@code after}, {@code before}, {@code limit}, {@code direction}
     * and {@code epoch}. Forward is the default with {@code after}, backward otherwise.
     *
     * @param parameter a parameter's value, null when it is absent
     * @throws IllegalArgumentException saying which parameter is wrong and why
     */
    public static HistoryQuery parse(Function<String, String> parameter) {
        String afterText = parameter.apply("after");
        long after = afterText == null ? 0 : offset("after", afterText, 0);
        long before = Optional.ofNullable(parameter.apply("before")).map(text -> offset("before", text, 1)).orElse(Long.MAX_VALUE);
        int limit = limit(parameter.apply("limit"));
        String direction = parameter.apply("direction");
        boolean forward;
        if (direction == null) {
            forward = afterText != null;
        } else if (direction.equals("forward") || direction.equals("backward")) {
            forward = direction.equals("forward");
        } else {
            throw new IllegalArgumentException("direction must be forward or backward, was '" + direction + "'");
        }
        String epoch = parameter.apply("epoch");
        if (epoch != null && (epoch.isEmpty() || epoch.length() > MAX_EPOCH_LENGTH)) {
            throw new IllegalArgumentException("epoch must be 1 to " + MAX_EPOCH_LENGTH + " characters, as the channel's "
                    + "positions carry it");
        }
        return new HistoryQuery(after, before, limit, forward, Optional.ofNullable(epoch));
    }

    /** Whether no offset lies strictly between the bounds. */
    public boolean isEmptyRange() {
        return before - after <= 1;
    }

    private static long offset(String name, String text, long least) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an offset (a whole number), was '" + text + "'");
        }
        if (value < least || value == Long.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be an offset of " + least + " or more, was " + value);
        }
        return value;
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT + ", was '" + text + "'");
        }
        if (value < 1 || value > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", was " + value);
        }
        return value;
    }
}
