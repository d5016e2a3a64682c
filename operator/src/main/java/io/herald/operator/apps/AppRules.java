package io.herald.operator.apps;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.herald.contract.WebhookEventTypes;
import io.herald.operator.crd.v1alpha1.PushAppSpec;
import io.herald.operator.crd.v1alpha1.spec.ArchiveRuleSpec;
import io.herald.operator.crd.v1alpha1.spec.HistoryRuleSpec;
import io.herald.operator.crd.v1alpha1.spec.OfflineSpec;
import io.herald.operator.crd.v1alpha1.spec.WebhookSpec;

/**
 * An app's history, archive and offline rules and its webhooks as gateways read them, and the schema's checks of them again:
 * an API server without CEL, or a PushApp written before the schema had these rules, must not put
 * a rule into the apps Secret that gateways would refuse or misread.
 */
final class AppRules {

    private AppRules() {
    }

    static List<PublishedApp.History> history(PushAppSpec spec) {
        return orEmpty(spec.history).stream()
                .map(rule -> new PublishedApp.History(rule.prefix, rule.size, rule.ttlSeconds)).toList();
    }

    static List<PublishedApp.Archive> archive(PushAppSpec spec) {
        return orEmpty(spec.archive).stream()
                .map(rule -> new PublishedApp.Archive(rule.prefix, rule.retentionSeconds)).toList();
    }

    /** The offline rule, or null when the spec has none, so gateways keep their default. */
    static PublishedApp.Offline offline(PushAppSpec spec) {
        return spec.offline == null ? null : new PublishedApp.Offline(spec.offline.retentionSeconds, spec.offline.maxEvents);
    }

    static List<PublishedApp.Webhook> webhooks(PushAppSpec spec) {
        return orEmpty(spec.webhooks).stream().map(webhook -> new PublishedApp.Webhook(webhook.url,
                List.copyOf(orEmpty(webhook.eventTypes)), webhook.channelPrefix == null ? "" : webhook.channelPrefix)).toList();
    }

    /** What is wrong with the rules, in the words of the schema's messages; empty when nothing is. */
    static Optional<String> problem(PushAppSpec spec) {
        List<HistoryRuleSpec> history = orEmpty(spec.history);
        List<ArchiveRuleSpec> archive = orEmpty(spec.archive);
        if (history.size() > PushAppSpec.MAX_RULES || archive.size() > PushAppSpec.MAX_RULES) {
            return Optional.of("history and archive take at most " + PushAppSpec.MAX_RULES + " rules each");
        }
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < history.size(); i++) {
            HistoryRuleSpec rule = history.get(i);
            String where = "history[" + i + "]";
            Optional<String> problem = rule == null ? Optional.of(where + " is empty") : prefixProblem(where, rule.prefix, prefixes);
            if (problem.isEmpty() && (rule.size < 0 || rule.size > HistoryRuleSpec.MAX_SIZE)) {
                problem = Optional.of(where + ".size must be 0 (no history) to " + HistoryRuleSpec.MAX_SIZE + ", was " + rule.size);
            }
            if (problem.isEmpty() && (rule.ttlSeconds < 0 || rule.ttlSeconds > HistoryRuleSpec.MAX_TTL_SECONDS)) {
                problem = Optional.of(where + ".ttlSeconds must be 0 to " + HistoryRuleSpec.MAX_TTL_SECONDS + " (a week), was "
                        + rule.ttlSeconds);
            }
            if (problem.isPresent()) {
                return problem;
            }
        }
        prefixes.clear();
        for (int i = 0; i < archive.size(); i++) {
            ArchiveRuleSpec rule = archive.get(i);
            String where = "archive[" + i + "]";
            Optional<String> problem = rule == null ? Optional.of(where + " is empty") : prefixProblem(where, rule.prefix, prefixes);
            if (problem.isEmpty() && (rule.retentionSeconds < 1 || rule.retentionSeconds > ArchiveRuleSpec.MAX_RETENTION_SECONDS)) {
                problem = Optional.of(where + ".retentionSeconds must be 1 to " + ArchiveRuleSpec.MAX_RETENTION_SECONDS
                        + " (ten years), was " + rule.retentionSeconds);
            }
            if (problem.isPresent()) {
                return problem;
            }
        }
        return offlineProblem(spec.offline).or(() -> webhooksProblem(orEmpty(spec.webhooks)));
    }

    /** A webhook the gateways would refuse would keep every app of the Secret from them, so it keeps its app out. */
    private static Optional<String> webhooksProblem(List<WebhookSpec> webhooks) {
        if (webhooks.size() > PushAppSpec.MAX_WEBHOOKS) {
            return Optional.of("webhooks takes at most " + PushAppSpec.MAX_WEBHOOKS + " entries");
        }
        for (int i = 0; i < webhooks.size(); i++) {
            WebhookSpec webhook = webhooks.get(i);
            String where = "webhooks[" + i + "]";
            if (webhook == null || webhook.url == null || webhook.url.length() > WebhookSpec.URL_MAX_LENGTH
                    || !webhook.url.matches(WebhookSpec.URL_PATTERN)) {
                return Optional.of(where + ".url must be an absolute http:// or https:// URL of a host name or IPv4 address, without spaces, was "
                        + (webhook == null ? null : webhook.url));
            }
            for (String type : orEmpty(webhook.eventTypes)) {
                if (!WebhookEventTypes.ALL.contains(type)) {
                    return Optional.of(where + ".eventTypes may name " + String.join(", ", WebhookEventTypes.ALL) + "; not " + type);
                }
            }
            if (webhook.channelPrefix != null && (webhook.channelPrefix.length() > HistoryRuleSpec.PREFIX_MAX_LENGTH
                    || !webhook.channelPrefix.matches(HistoryRuleSpec.PREFIX_PATTERN))) {
                return Optional.of(where + ".channelPrefix must be up to " + HistoryRuleSpec.PREFIX_MAX_LENGTH
                        + " characters of channel names or '#', was " + webhook.channelPrefix);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> offlineProblem(OfflineSpec offline) {
        if (offline == null) {
            return Optional.empty();
        }
        if (offline.retentionSeconds < OfflineSpec.MIN_RETENTION_SECONDS || offline.retentionSeconds > OfflineSpec.MAX_RETENTION_SECONDS) {
            return Optional.of("offline.retentionSeconds must be " + OfflineSpec.MIN_RETENTION_SECONDS + " to "
                    + OfflineSpec.MAX_RETENTION_SECONDS + " (30 days), was " + offline.retentionSeconds);
        }
        if (offline.maxEvents < 1 || offline.maxEvents > OfflineSpec.MAX_EVENTS) {
            return Optional.of("offline.maxEvents must be 1 to " + OfflineSpec.MAX_EVENTS + ", was " + offline.maxEvents);
        }
        return Optional.empty();
    }

    private static Optional<String> prefixProblem(String where, String prefix, Set<String> seen) {
        if (prefix == null) {
            return Optional.of(where + ".prefix is missing (\"\" matches every channel)");
        }
        if (prefix.length() > HistoryRuleSpec.PREFIX_MAX_LENGTH || !prefix.matches(HistoryRuleSpec.PREFIX_PATTERN)) {
            return Optional.of(where + ".prefix must be up to " + HistoryRuleSpec.PREFIX_MAX_LENGTH
                    + " characters of channel names or '#', was " + prefix);
        }
        if (!seen.add(prefix)) {
            return Optional.of(where + ".prefix '" + prefix + "' is given twice: two rules for one prefix cannot both apply");
        }
        return Optional.empty();
    }

    private static <T> List<T> orEmpty(List<T> rules) {
        return rules == null ? List.of() : rules;
    }
}
