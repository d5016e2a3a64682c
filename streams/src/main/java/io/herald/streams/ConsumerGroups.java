package io.herald.streams;

import java.util.concurrent.TimeUnit;

import org.redisson.api.RStream;
import org.redisson.api.stream.FastAutoClaimResult;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamMessageId;

/**
 * What a new owner of a shard does to a stream it reads through a consumer group: make sure the
 * group exists, and take over what its previous reader left unacknowledged. Shared by the routing
 * loop (shard streams), the archiver (archive streams) and the gateways' webhook sender.
 */
public final class ConsumerGroups {

    private ConsumerGroups() {
    }

    /**
     * Creates the group (and the stream) unless it exists. The group starts at the stream's
     * beginning: entries appended before anyone read the stream are read too.
     */
    public static void createIfMissing(RStream<String, String> stream, String group) {
        try {
            stream.createGroup(StreamCreateGroupArgs.name(group).id(new StreamMessageId(0, 0)).makeStream());
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /**
     * Moves every entry read but not acknowledged by anyone into the consumer's pending list. The
     * previous owner is gone or fenced, so no idle time needs to pass first.
     */
    public static void takeOverPending(RStream<String, String> stream, String group, String consumer) {
        StreamMessageId cursor = new StreamMessageId(0, 0);
        do {
            FastAutoClaimResult result = stream.fastAutoClaim(group, consumer, 0, TimeUnit.MILLISECONDS, cursor, 1000);
            cursor = result.getNextId();
        } while (cursor.getId0() != 0 || cursor.getId1() != 0);
    }
}
