package io.herald.operator.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.herald.operator.crd.v1alpha1.spec.IngressSpec;

/**
 * The public entrance to the gateways. It depends on nothing that changes with scaling, so scaling
 * never edits it: with ingress-nginx, an Ingress edit reloads the proxy and drops WebSockets.
 */
public final class IngressModel {

    /** WebSockets idle between pings for up to two minutes; the proxy's default 60 s would cut them. */
    static final Map<String, String> WEBSOCKET_DEFAULTS = Map.of(
            "nginx.ingress.kubernetes.io/proxy-read-timeout", "3600",
            "nginx.ingress.kubernetes.io/proxy-send-timeout", "3600",
            "nginx.ingress.kubernetes.io/proxy-body-size", "1m");

    /**
     * The Pusher paths: the WebSocket ({@code /app/{key}}, PusherEndpoint), the REST API
     * ({@code /apps/{id}/...}, RestApi) and pusher-js's HTTP fallback transports
     * ({@code /pusher/app/{key}/...}, XhrTransports). Routing {@code /} would expose the gateways'
     * health and other {@code /q/} endpoints to the internet.
     */
    public static final List<String> PUSHER_PATHS = List.of("/app/", "/apps/", "/pusher/");

    /** The web console's page and API, routed only when the cluster serves it. */
    public static final String CONSOLE_PATH = "/console";

    private IngressModel() {
    }

    /** The paths the gateways are reached on from outside: the Pusher paths, and the console's when it is on. */
    public static List<String> paths(boolean console) {
        return console ? Stream.concat(PUSHER_PATHS.stream(), Stream.of(CONSOLE_PATH)).toList()
                : PUSHER_PATHS;
    }

    public static Ingress ingress(ClusterNames names, IngressSpec spec, boolean console) {
        Map<String, String> annotations = new LinkedHashMap<>(WEBSOCKET_DEFAULTS);
        if (spec.annotations != null) {
            annotations.putAll(spec.annotations);
        }
        IngressBuilder ingress = new IngressBuilder()
                .withNewMetadata().withName(names.ingress()).withNamespace(names.namespace())
                    .withLabels(names.labels(Component.GATEWAY)).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                    .withIngressClassName(spec.className)
                    .addNewRule().withHost(spec.host).withNewHttp()
                        .withPaths(paths(console).stream().map(path -> path(names, path)).toList())
                    .endHttp().endRule()
                .endSpec();
        if (spec.tlsSecret != null && !spec.tlsSecret.isBlank()) {
            ingress.editSpec().addNewTl().withHosts(spec.host).withSecretName(spec.tlsSecret).endTl().endSpec();
        }
        return ingress.build();
    }

    /** Prefix matches whole path segments: {@code /app/} takes {@code /app/key} but not {@code /apps/1}. */
    private static HTTPIngressPath path(ClusterNames names, String prefix) {
        return new HTTPIngressPathBuilder().withPath(prefix).withPathType("Prefix").withNewBackend().withNewService()
                .withName(names.gateway()).withNewPort().withName("http").endPort().endService().endBackend().build();
    }

    public static String endpoint(ClusterNames names, IngressSpec spec) {
        if (spec == null) {
            return "ws://" + names.gateway() + "." + names.namespace() + ".svc:" + GatewayModel.SERVICE_PORT;
        }
        return (spec.tlsSecret == null || spec.tlsSecret.isBlank() ? "ws://" : "wss://") + spec.host;
    }
}
