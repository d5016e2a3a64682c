package io.herald.contract;

/**
 * The Secret through which the operator hands app credentials to gateways: one per cluster, its
 * {@link #KEY} holding the JSON array the gateway's app registry reads:
 * {@code [{"id","key","secret","clientEvents","userAuthentication","maxConnections",
 * "maxChannelsPerConnection","subscribesPerSecond","history","archive","offline","webhooks",
 * "subscriptionCount"}]}.
 */
public final class AppsSecret {

    public static final String KEY = "apps.json";

    private AppsSecret() {
    }

    public static String nameFor(String clusterName) {
        return clusterName + "-apps";
    }
}
