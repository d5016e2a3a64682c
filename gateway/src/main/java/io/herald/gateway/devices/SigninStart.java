package io.herald.gateway.devices;

import io.herald.streams.Position;

/**
 * Where a device's delivery of its user's personal stream starts at sign-in: after what the
 * device last acknowledged, so it gets each event it missed once even if another device of the
 * user read it already. A device never seen before starts at the stream's current position:
 * nothing is replayed to it, since it cannot have missed what was sent before it existed (and a
 * new browser profile must not receive a day of old notifications); from then on it is known.
 */
final class SigninStart {

    private SigninStart() {
    }

    /**
     * @param stored what the device acknowledged, or null for a device never seen
     * @param current the user stream's position record, or null when it has none
     * @param asked the position the client asked to recover from ({@code herald_recover}), or null
     * @return the position to recover after, or null for "from the position when the request is routed"
     */
    static Position of(DeviceAck stored, Position current, Position asked) {
        Position base;
        if (stored != null && stored.hasPosition()) {
            base = new Position(stored.epoch(), stored.offset());
        } else if (current == null) {
            base = null;
        } else if (stored == null) {
            base = current;
        } else {
            // Seen when its stream had no position yet: everything of the epoch begun since is new to it.
            base = new Position(current.epoch(), 0);
        }
        if (asked == null) {
            return base;
        }
        if (base == null || (asked.epoch().equals(base.epoch()) && asked.offset() > base.offset())) {
            return asked;
        }
        return base;
    }
}
