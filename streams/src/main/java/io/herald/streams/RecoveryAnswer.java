package io.herald.streams;

import java.util.List;

/**
 * The router's answer to a {@link RecoveryRequest}, written to the asking gateway's inbox at the
 * request's place in channel order: the channel's position then ({@code current}) and whether
 * the events after the requested position ({@code since}, null for none) can be recovered (same
 * epoch, not ahead of the channel, a gap within {@code MAX_RECOVERED_EVENTS}).
 *
 * <p>The events themselves do not travel in the answer: when the gateway reads it, the channel's
 * hot history already holds every event up to {@code current} (the same fenced write stored
 * them), so the gateway reads them from there in one pipelined round trip for its whole inbox
 * batch. Copying a thousand events through the router's script and the inbox cost more than
 * half of a recovery's time. {@code events} is what the gateway read, empty on the wire.
 */
public record RecoveryAnswer(String app, String channel, String socketId, Position since, Position current,
        boolean recovered, List<HistoryEvent> events) implements InboxEntry {

    /** A gap longer than this is not recovered, whatever the rule keeps: a recovery stays a bounded read. */
    public static final int MAX_RECOVERED_EVENTS = 10_000;

    public RecoveryAnswer {
        events = List.copyOf(events);
    }

    /** How many events the client missed: those after {@code since} up to {@code current}; 0 without a position. */
    public long gap() {
        return since == null || !recovered ? 0 : current.offset() - since.offset();
    }

    /** This answer once the gateway read the missed events, or found they were not all there. */
    public RecoveryAnswer completed(boolean complete, List<HistoryEvent> read) {
        return new RecoveryAnswer(app, channel, socketId, since, current, recovered && complete, complete ? read : List.of());
    }
}
