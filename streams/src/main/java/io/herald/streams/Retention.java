package io.herald.streams;

/**
 * What a publication's channel keeps of it, decided by the gateway from the app's rules and
 * applied by the channel's router, so routers need not know the apps.
 *
 * @param historySize how many events the channel's hot history keeps; 0 for none
 * @param historyTtlSeconds how long after its last event the channel's history is kept
 * @param archiveSeconds how long the MongoDB archive keeps the event; 0 for not archived
 */
public record Retention(int historySize, int historyTtlSeconds, long archiveSeconds) {

    /** Nothing kept: Herald's internal events, and what older gateways publish. */
    public static final Retention NONE = new Retention(0, 0, 0);

    public boolean keepsHistory() {
        return historySize > 0 && historyTtlSeconds > 0;
    }

    public boolean archives() {
        return archiveSeconds > 0;
    }
}
