package io.herald.streams;

import java.util.List;

/**
 * The router's answer to a {@link RecoveryRequest}: the channel's position when the request was
 * routed, and either every event after the requested position ({@code recovered}) or none, when
 * history no longer holds them all or the epoch changed.
 */
public record RecoveryAnswer(String app, String channel, String socketId, Position current, boolean recovered,
        List<HistoryEvent> events) implements InboxEntry {

    public RecoveryAnswer {
        events = List.copyOf(events);
    }
}
