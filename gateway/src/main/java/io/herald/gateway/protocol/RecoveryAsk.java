package io.herald.gateway.protocol;

import io.herald.streams.Position;
import io.vertx.core.json.JsonObject;

/**
 * What a {@code pusher:subscribe} asks to recover, through Herald's optional {@code herald_recover}:
 * nothing (a plain Pusher subscribe), the channel's position only ({@code {}}), or every event
 * after a position ({@code {"epoch","offset"}}). A malformed one names its problem.
 */
record RecoveryAsk(boolean asked, Position since, String problem) {

    static final String FIELD = "herald_recover";

    private static final RecoveryAsk NOT_ASKED = new RecoveryAsk(false, null, null);

    static RecoveryAsk of(JsonObject data) {
        if (data == null || !data.containsKey(FIELD)) {
            return NOT_ASKED;
        }
        if (!(data.getValue(FIELD) instanceof JsonObject recover)) {
            return invalid("'" + FIELD + "' must be an object: {} or {\"epoch\":\"..\",\"offset\":N}");
        }
        if (recover.isEmpty()) {
            return new RecoveryAsk(true, null, null);
        }
        Object epoch = recover.getValue("epoch");
        Object offset = recover.getValue("offset");
        if (!(epoch instanceof String text) || text.isEmpty() || text.length() > 64) {
            return invalid("'" + FIELD + ".epoch' must be the non-empty string of a position Herald sent");
        }
        if (!(offset instanceof Integer || offset instanceof Long) || ((Number) offset).longValue() < 0) {
            return invalid("'" + FIELD + ".offset' must be a non-negative integer");
        }
        return new RecoveryAsk(true, new Position(text, ((Number) offset).longValue()), null);
    }

    private static RecoveryAsk invalid(String problem) {
        return new RecoveryAsk(true, null, problem);
    }
}
