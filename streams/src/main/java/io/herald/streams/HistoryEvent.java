package io.herald.streams;

/** An event as a channel's history keeps it: its offset in the channel and what subscribers saw. */
public record HistoryEvent(long offset, String event, String data, String userId) {
}
