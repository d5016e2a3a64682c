package io.herald.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;

public class AppFeaturesSpec {

    @Default("false")
    @JsonPropertyDescription("Let clients send client- events on private and presence channels (Pusher's \"Enable "
            + "client events\"). Off by default, as on Pusher.")
    public boolean clientEvents;

    @Default("false")
    @JsonPropertyDescription("Require every connection to sign in (pusher:signin) within 30 seconds, or close it with "
            + "4009 (Pusher's \"Enable authorized connections\").")
    public boolean userAuthentication;

    @Default("false")
    @JsonPropertyDescription("Tell the subscribers of each non-presence channel how many connections are subscribed "
            + "(pusher_internal:subscription_count, which pusher-js surfaces as pusher:subscription_count), and send "
            + "the subscription_count webhook (Pusher's \"Enable subscription counting\"). Channels with more than "
            + "100 subscribers hear it at most every 5 seconds from each gateway.")
    public boolean subscriptionCount;
}
