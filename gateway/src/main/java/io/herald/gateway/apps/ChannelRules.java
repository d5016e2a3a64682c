package io.herald.gateway.apps;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.herald.streams.Retention;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An app's rules for what its channels keep: hot history (how many events, how long) and the
 * MongoDB archive (how long), each chosen by the longest rule prefix that starts the channel's
 * name. Channels no history rule matches keep the cluster's default; no archive rule, no archive.
 */
public record ChannelRules(List<HistoryRule> history, List<ArchiveRule> archive) {

    public static final ChannelRules NONE = new ChannelRules(List.of(), List.of());

    /** The most events one channel's history may keep: a recovery answer stays a bounded message. */
    public static final int MAX_HISTORY_SIZE = 10_000;

    public record HistoryRule(String prefix, int size, int ttlSeconds) {
    }

    public record ArchiveRule(String prefix, long retentionSeconds) {
    }

    public ChannelRules {
        history = List.copyOf(history);
        archive = List.copyOf(archive);
    }

    /** What a publication on the channel keeps, with {@code defaults} where no history rule matches. */
    public Retention retentionFor(String channel, HistoryRule defaults) {
        HistoryRule kept = longestMatch(history, HistoryRule::prefix, channel).orElse(defaults);
        long archived = longestMatch(archive, ArchiveRule::prefix, channel).map(ArchiveRule::retentionSeconds).orElse(0L);
        return new Retention(kept.size(), kept.ttlSeconds(), archived);
    }

    private static <R> Optional<R> longestMatch(List<R> rules, Function<R, String> prefix, String channel) {
        return rules.stream().filter(rule -> channel.startsWith(prefix.apply(rule)))
                .max(Comparator.comparingInt(rule -> prefix.apply(rule).length()));
    }

    /**
     * Reads {@code "history":[{"prefix","size","ttlSeconds"}]} and
     * {@code "archive":[{"prefix","retentionSeconds"}]} from an app's JSON; both optional.
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
        return new ChannelRules(historyRules, archiveRules);
    }
}
