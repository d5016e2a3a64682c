package io.herald.gateway.webhooks;

import java.net.URI;

import io.herald.gateway.apps.App;

/** One POST of Pusher's webhook format: an app's batch of events for one of its webhook URLs. */
record WebhookRequest(App app, URI url, String body, int events) {
}
