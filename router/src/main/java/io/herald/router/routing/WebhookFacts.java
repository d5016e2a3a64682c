package io.herald.router.routing;

import io.herald.streams.EnvelopeCodec;
import io.herald.streams.StreamLayout;
import io.herald.streams.WebhookFact;

/**
 * Appends the webhook facts a router decides (channel occupied or vacated, member added or
 * removed, cache miss) to the cluster's webhook stream, inside the fenced write of the batch that
 * changed the state: a batch replayed after a failure or a failover decides them again only if
 * its script never ran, so each fact is appended once. Routers do not know which apps have
 * webhooks; the gateways that read the stream do, and drop the rest. The stream is capped, so it
 * stays bounded while no gateway reads it.
 */
public final class WebhookFacts {

    private final StreamLayout layout;
    private final int maxLength;

    public WebhookFacts(StreamLayout layout, int maxLength) {
        this.layout = layout;
        this.maxLength = maxLength;
    }

    public void append(int shard, WebhookFact fact, FencedWrites writes) {
        if (WebhookFact.concerns(fact.channel())) {
            writes.deliver(shard, layout.webhooks(layout.groupOf(shard)), maxLength, EnvelopeCodec.encode(fact));
        }
    }
}
