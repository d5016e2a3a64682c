package io.herald.streams;

/**
 * A publication as a router hands it to a gateway's inbox.
 *
 * @param offset the id of the publication's entry in its shard stream. Channels never change
 *     shard and a shard has one sequencer, so offsets grow with the channel's order and a
 *     redelivered publication keeps its offset: gateways drop duplicates by (channel, offset).
 */
public record Delivery(Publication publication, StreamOffset offset) implements InboxEntry {
}
