package io.herald.streams;

/**
 * A publication as a router hands it to a gateway's inbox.
 *
 * @param offset the id of the publication's entry in its shard stream. Channels never change
 *     shard and a shard has one sequencer, so offsets grow with the channel's order and a
 *     redelivered publication keeps its offset: gateways drop duplicates by (channel, offset).
 * @param position the event's position in its channel, which clients see; null for what has
 *     none (presence member events)
 */
public record Delivery(Publication publication, StreamOffset offset, Position position) implements InboxEntry {

    /** A delivery without a position: presence member events. */
    public Delivery(Publication publication, StreamOffset offset) {
        this(publication, offset, null);
    }
}
