package io.herald.benchmark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What one fault did to the publications of its run, per channel and in total.
 *
 * <p>Definitions, per subscriber and channel: a publication is <em>acknowledged</em> when the
 * gateway answered 200. It is <em>lost</em> for a subscriber when it was acknowledged, the
 * subscriber's subscription held from before it was sent (its subscription_succeeded arrived
 * earlier) until one second after it was answered (the delivery allowance), and it never
 * arrived; a client that reconnects is therefore only owed what was published after it
 * subscribed again. One that was acknowledged less than the allowance before the subscriber's
 * connection was lost is counted apart, as <em>in flight at a disconnect</em>: Pusher clients get
 * no replay after a reconnect. A <em>duplicate</em> is a
 * sequence number arriving a second time; a <em>reorder</em> is one arriving after a higher one.
 * The <em>longest silence</em> is the longest gap between two consecutive deliveries to one
 * subscriber. <em>Next delivery after the fault</em> is, over every subscriber, the longest time
 * from the fault to the channel's first delivery of a publication sent after the fault (what was
 * routed before it and still on its way does not count).
 */
public final class FaultReport {

    /** One channel's figures; lost, duplicated and reordered are summed over its subscribers. */
    public record ChannelFigures(String channel, long acknowledged, long refused, long lost, long cutShort, long duplicated,
            long reordered, long longestSilenceMillis, long nextDeliveryMillis, long lossSignals) {
    }

    private static final int MAX_EXAMPLES = 5;

    private final Fault fault;
    private final List<ChannelFigures> channels;
    private final long recoveryMillis;
    private final OptionalLong memberRemovedMillis;
    private final int reconnects;
    private final List<String> notes;

    FaultReport(Fault fault, List<ChannelFigures> channels, long recoveryMillis, OptionalLong memberRemovedMillis, int reconnects,
            List<String> notes) {
        this.fault = fault;
        this.channels = List.copyOf(channels);
        this.recoveryMillis = recoveryMillis;
        this.memberRemovedMillis = memberRemovedMillis;
        this.reconnects = reconnects;
        this.notes = List.copyOf(notes);
    }

    /** Computes the figures of one channel from what was published on it and what each subscriber received. */
    static ChannelFigures channel(String channel, List<FaultPublisher.Publication> published, List<FaultSubscriber.Observed> subscribers,
            long faultNanos, List<String> lostExamples) {
        long acknowledged = published.stream().filter(FaultPublisher.Publication::acknowledged).count();
        Map<Long, Long> sentAt = new HashMap<>();
        published.forEach(publication -> sentAt.put(publication.seq(), publication.sentNanos()));
        long lost = 0;
        long cutShort = 0;
        long duplicated = 0;
        long reordered = 0;
        long silence = 0;
        long nextDelivery = 0;
        long signals = 0;
        for (FaultSubscriber.Observed subscriber : subscribers) {
            List<FaultSubscriber.Delivery> received = subscriber.deliveries();
            List<FaultSubscriber.Window> windows = subscriber.windows();
            Set<Long> seen = new HashSet<>();
            long highest = -1;
            long previousArrival = -1;
            long firstAfterFault = -1;
            for (FaultSubscriber.Delivery delivery : received) {
                if (!seen.add(delivery.seq())) {
                    duplicated++;
                } else if (delivery.seq() < highest) {
                    reordered++;
                }
                highest = Math.max(highest, delivery.seq());
                if (previousArrival >= 0) {
                    silence = Math.max(silence, delivery.nanos() - previousArrival);
                }
                previousArrival = delivery.nanos();
                if (firstAfterFault < 0 && sentAt.getOrDefault(delivery.seq(), Long.MIN_VALUE) > faultNanos) {
                    firstAfterFault = delivery.nanos();
                }
            }
            nextDelivery = firstAfterFault < 0 ? Long.MAX_VALUE : Math.max(nextDelivery, firstAfterFault - faultNanos);
            for (FaultPublisher.Publication publication : published) {
                if (!publication.acknowledged() || seen.contains(publication.seq())) {
                    continue;
                }
                Optional<FaultSubscriber.Window> owed = windows.stream()
                        .filter(window -> window.owes(publication.sentNanos(), publication.answeredNanos())).findFirst();
                if (owed.isEmpty() && windows.stream().anyMatch(w -> w.cutShort(publication.sentNanos(), publication.answeredNanos()))) {
                    cutShort++;
                }
                if (owed.isPresent()) {
                    lost++;
                    if (lostExamples.size() < MAX_EXAMPLES) {
                        lostExamples.add(String.format(Locale.ROOT, "%s missed %s #%d, sent %+.2f s and acknowledged %+.2f s from the fault, "
                                + "subscribed %+.2f s to %s", subscriber.subscriber(), channel, publication.seq(),
                                relative(publication.sentNanos(), faultNanos), relative(publication.answeredNanos(), faultNanos),
                                relative(owed.get().from(), faultNanos), owed.get().until() == Long.MAX_VALUE ? "the end"
                                        : String.format(Locale.ROOT, "%+.2f s", relative(owed.get().until(), faultNanos))));
                    }
                }
            }
            signals += subscriber.lossSignals();
        }
        return new ChannelFigures(channel, acknowledged, published.size() - acknowledged, lost, cutShort, duplicated, reordered,
                silence / 1_000_000, nextDelivery == Long.MAX_VALUE ? -1 : nextDelivery / 1_000_000, signals);
    }

    private static double relative(long nanos, long faultNanos) {
        return (nanos - faultNanos) / 1e9;
    }

    public Fault fault() {
        return fault;
    }

    public List<ChannelFigures> channels() {
        return channels;
    }

    public long acknowledged() {
        return channels.stream().mapToLong(ChannelFigures::acknowledged).sum();
    }

    public long refused() {
        return channels.stream().mapToLong(ChannelFigures::refused).sum();
    }

    public long lost() {
        return channels.stream().mapToLong(ChannelFigures::lost).sum();
    }

    /** Acknowledged publications missed by a connection lost less than the delivery allowance after the acknowledgement. */
    public long cutShort() {
        return channels.stream().mapToLong(ChannelFigures::cutShort).sum();
    }

    public long duplicated() {
        return channels.stream().mapToLong(ChannelFigures::duplicated).sum();
    }

    public long reordered() {
        return channels.stream().mapToLong(ChannelFigures::reordered).sum();
    }

    public long lossSignals() {
        return channels.stream().mapToLong(ChannelFigures::lossSignals).sum();
    }

    public long longestSilenceMillis() {
        return channels.stream().mapToLong(ChannelFigures::longestSilenceMillis).max().orElse(0);
    }

    /** From the fault to the next delivery on every channel, for every subscriber; -1 when some channel never delivered again. */
    public long nextDeliveryOnEveryChannelMillis() {
        return channels.stream().anyMatch(c -> c.nextDeliveryMillis() < 0) ? -1
                : channels.stream().mapToLong(ChannelFigures::nextDeliveryMillis).max().orElse(0);
    }

    /** Whether every subscriber received, on every channel, publications sent after the fault ended. */
    public boolean servedAgain() {
        return recoveryMillis >= 0;
    }

    /** From the end of the fault until every subscriber received a publication sent after it on every channel; -1: never. */
    public long recoveryMillis() {
        return recoveryMillis;
    }

    /** For a gateway restarted under its node id: when its former presence member was removed for the others, if it was. */
    public OptionalLong memberRemovedMillis() {
        return memberRemovedMillis;
    }

    public List<String> notes() {
        return notes;
    }

    /** Whether this run kept the promise: nothing acknowledged lost (unless Redis lost it), nothing duplicated or reordered, served again. */
    public List<String> brokenPromises() {
        List<String> broken = new ArrayList<>();
        if (lost() > 0 && !fault.lossAllowed()) {
            broken.add(lost() + " acknowledged deliveries lost");
        }
        if (duplicated() > 0) {
            broken.add(duplicated() + " duplicated");
        }
        if (reordered() > 0) {
            broken.add(reordered() + " reordered");
        }
        if (!servedAgain()) {
            broken.add("not served again after the fault");
        }
        if (fault == Fault.GATEWAY_RESTART && memberRemovedMillis.isEmpty()) {
            broken.add("the restarted gateway's former presence member was never removed");
        }
        return broken;
    }

    /** One row per scenario, for docs/reliability.md. */
    public static String summary(List<FaultReport> reports) {
        Table table = new Table("fault", "acknowledged", "refused", "lost", "in flight at a disconnect", "duplicated", "reordered",
                "longest silence",
                "fault to next delivery on every channel", "served again after", "herald:messages_lost seen", "member_removed after",
                "reconnects");
        for (FaultReport report : reports) {
            table.row(report.fault.label(), Table.count(report.acknowledged()), Table.count(report.refused()), Table.count(report.lost()),
                    Table.count(report.cutShort()), Table.count(report.duplicated()), Table.count(report.reordered()), seconds(report.longestSilenceMillis()),
                    seconds(report.nextDeliveryOnEveryChannelMillis()), seconds(report.recoveryMillis()),
                    Table.count(report.lossSignals()),
                    report.memberRemovedMillis.isPresent() ? seconds(report.memberRemovedMillis.getAsLong())
                            : report.fault == Fault.GATEWAY_RESTART ? "never" : "-",
                    Table.count(report.reconnects));
        }
        return table.toString();
    }

    /** The per-channel figures, for one scenario. */
    public String perChannel() {
        Table table = new Table("channel", "acknowledged", "refused", "lost", "in flight at a disconnect", "duplicated", "reordered",
                "longest silence",
                "next delivery after the fault", "herald:messages_lost");
        for (ChannelFigures channel : channels) {
            table.row(channel.channel(), Table.count(channel.acknowledged()), Table.count(channel.refused()), Table.count(channel.lost()),
                    Table.count(channel.cutShort()), Table.count(channel.duplicated()), Table.count(channel.reordered()), seconds(channel.longestSilenceMillis()),
                    seconds(channel.nextDeliveryMillis()), Table.count(channel.lossSignals()));
        }
        table.row("total", Table.count(acknowledged()), Table.count(refused()), Table.count(lost()), Table.count(cutShort()),
                Table.count(duplicated()),
                Table.count(reordered()), seconds(longestSilenceMillis()), seconds(nextDeliveryOnEveryChannelMillis()),
                Table.count(lossSignals()));
        return table.toString();
    }

    static String seconds(long millis) {
        return millis < 0 ? "never" : Table.decimal(millis / 1000.0, 2) + " s";
    }

    @Override
    public String toString() {
        return fault.label() + ": " + acknowledged() + " acknowledged, " + refused() + " refused, " + lost() + " lost, " + cutShort()
                + " in flight at a disconnect, " + duplicated()
                + " duplicated, " + reordered() + " reordered, longest silence " + seconds(longestSilenceMillis())
                + ", next delivery on every channel " + seconds(nextDeliveryOnEveryChannelMillis()) + ", served again after "
                + seconds(recoveryMillis) + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
    }
}
