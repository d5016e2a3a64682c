package io.herald.streams;

/**
 * Where an event stands in its channel: the channel's epoch, which changes whenever the channel's
 * history was lost, and an offset that grows by one per event within the epoch. A client that
 * knows the position of the last event it saw can ask for everything after it.
 */
public record Position(String epoch, long offset) {

    public Position {
        if (epoch == null || epoch.isEmpty()) {
            throw new IllegalArgumentException("a position needs an epoch");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offsets are not negative but was " + offset);
        }
    }

    public Position next() {
        return new Position(epoch, offset + 1);
    }
}
