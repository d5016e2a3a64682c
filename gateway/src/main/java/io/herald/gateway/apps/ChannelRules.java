package io.herald.gateway.apps;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import io.herald.gateway.protocol.ChannelNames;
import io.herald.streams.Retention;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An app's rules for what its channels keep: hot history (how many events, how long) and the
 * MongoDB archive (how long), each chosen by the longest rule prefix that starts the channel's
 * name. Channels no history rule matches keep the cluster's default; no archive rule, no archive.
 * Users' personal streams ({@code #server-to-user-}) keep what the offline rule says, as if it were
 * a history rule of that prefix placed after the explicit ones: a longer explicit prefix, or an
 * explicit rule of the same prefix, wins over it.
 */
public record ChannelRules(List<HistoryRule> history, List<ArchiveRule> archive, Offline offline) {

    public static final ChannelRules NONE = new ChannelRules(List.of(), List.of());

    /** The most events one channel's history may keep: a recovery answer stays a bounded message. */
    public static final int MAX_HISTORY_SIZE = 10_000;

    public record HistoryRule(String prefix, int size, int ttlSeconds) {
    }

    public record ArchiveRule(String prefix, long retentionSeconds) {
    }

    /**
     * How long and how many events a user's personal stream keeps for devices that are offline:
     * what a device that comes back within that time gets at sign-in.
     */
    public record Offline(int retentionSeconds, int maxEvents) {

        public static final Offline DEFAULT = new Offline(86_400, 1000);

        HistoryRule asHistoryRule() {
            return new HistoryRule(ChannelNames.SERVER_TO_USER_PREFIX, maxEvents, retentionSeconds);
        }
    }

    public ChannelRules {
        history = List.copyOf(history);
        archive = List.copyOf(archive);
        if (offline == null) {
            offline = Offline.DEFAULT;
        }
    }

    /** Rules with the default offline rule. */
    public ChannelRules(List<HistoryRule> history, List<ArchiveRule> archive) {
        this(history, archive, Offline.DEFAULT);
    }

    /** What a publication on the channel keeps, with {@code defaults} where no history rule matches. */
    public Retention retentionFor(String channel, HistoryRule defaults) {
        // Ties keep the first rule, so an explicit rule of the offline prefix wins over the offline rule.
        HistoryRule kept = longestMatch(Stream.concat(history.stream(), Stream.of(offline.asHistoryRule())).toList(),
                HistoryRule::prefix, channel).orElse(defaults);
        long archived = longestMatch(archive, ArchiveRule::prefix, channel).map(ArchiveRule::retentionSeconds).orElse(0L);
        return new Retention(kept.size(), kept.ttlSeconds(), archived);
    }

    private static <R> Optional<R> longestMatch(List<R> rules, Function<R, String> prefix, String channel) {
        return rules.stream().filter(rule -> channel.startsWith(prefix.apply(rule)))
                .max(Comparator.comparingInt(rule -> prefix.apply(rule).length()));
    }

    /**
     * Reads {@code "history":[{"prefix","size","ttlSeconds"}]} and
     * {@code "archive":[{"prefix","retentionSeconds"}]} and {@code "offline":{"retentionSeconds","maxEvents"}}
     * from an app's JSON; all optional.
     *
     * @throws IllegalArgumentException naming the rule that is not valid
     */
    static ChannelRules parse(JsonObject app) {
        JsonArray history = app.getJsonArray("history", new JsonArray());
        JsonArray archive = app.getJsonArray("archive", new JsonArray());
        List<HistoryRule> historyRules = history.stream().map(item -> {
            JsonObject rule = (JsonObject) item;
            HistoryRule parsed = new HistoryRule(rule.getString("prefix", ""), rule.getInteger("size", 0),
                    rule.getInteger("ttlSeconds", 0));
            if (parsed.size() < 0 || parsed.size() > MAX_HISTORY_SIZE || parsed.ttlSeconds() < 0) {
                throw new IllegalArgumentException("history rule " + rule.encode() + " needs 0 <= size <= "
                        + MAX_HISTORY_SIZE + " and ttlSeconds >= 0");
            }
            return parsed;
        }).toList();
        List<ArchiveRule> archiveRules = archive.stream().map(item -> {
            JsonObject rule = (JsonObject) item;
            ArchiveRule parsed = new ArchiveRule(rule.getString("prefix", ""), rule.getLong("retentionSeconds", 0L));
            if (parsed.retentionSeconds() <= 0) {
                throw new IllegalArgumentException("archive rule " + rule.encode() + " needs retentionSeconds > 0");
            }
            return parsed;
        }).toList();
        return new ChannelRules(historyRules, archiveRules, parseOffline(app.getJsonObject("offline", new JsonObject())));
    }

    private static Offline parseOffline(JsonObject offline) {
        Offline parsed = new Offline(offline.getInteger("retentionSeconds", Offline.DEFAULT.retentionSeconds()),
                offline.getInteger("maxEvents", Offline.DEFAULT.maxEvents()));
        if (parsed.retentionSeconds() <= 0 || parsed.maxEvents() < 0 || parsed.maxEvents() > MAX_HISTORY_SIZE) {
            throw new IllegalArgumentException("offline rule " + offline.encode() + " needs retentionSeconds > 0 and 0 <= maxEvents <= "
                    + MAX_HISTORY_SIZE);
        }
        return parsed;
    }
}
