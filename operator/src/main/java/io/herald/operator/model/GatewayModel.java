package io.herald.operator.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.herald.contract.PodSettings;
import io.herald.operator.crd.v1alpha1.PushClusterSpec;
import io.herald.operator.crd.v1alpha1.spec.GatewaySpec;
import io.herald.operator.crd.v1alpha1.spec.ServiceSpec;

/** The gateway tier of a cluster, computed from the spec alone. */
public final class GatewayModel {

    public static final int SERVICE_PORT = 80;
    /** Seconds between SIGTERM and the drain starting, so endpoints stop sending new clients first. */
    static final int PRE_STOP_SECONDS = 5;

    private GatewayModel() {
    }

    public static Deployment deployment(ClusterNames names, PushClusterSpec spec, int replicas, Images images,
            String secretsDigest) {
        GatewaySpec gateway = spec.gateway;
        List<EnvVar> env = PodTemplates.commonEnv(names, spec);
        env.add(PodTemplates.value(PodSettings.env(PodSettings.APPS_SECRET), names.appsSecret()));
        env.add(PodTemplates.value(PodSettings.env(PodSettings.DRAIN_PERIOD), gateway.drainSeconds + "s"));
        env.add(PodTemplates.value(PodSettings.env(PodSettings.PUBLISH_DURABILITY), spec.publish.durability.setting()));
        env.add(PodTemplates.value(PodSettings.env(PodSettings.CONNECTIONS_PER_ADDRESS),
                Integer.toString(gateway.maxConnectionsPerAddress)));
        if (gateway.console) {
            env.add(PodTemplates.value(PodSettings.env(PodSettings.CONSOLE_ENABLED), "true"));
        }
        if (gateway.maxConnectionsPerPod != null) {
            env.add(PodTemplates.value(PodSettings.env(PodSettings.GATEWAY_MAX_CONNECTIONS),
                    gateway.maxConnectionsPerPod.toString()));
        }
        var container = PodTemplates.container(Component.GATEWAY, images.gateway(), images.pullPolicy(), env,
                        PodTemplates.resources(gateway.resources, "500m", "512Mi", "1Gi"))
                .withNewLifecycle().withNewPreStop().withNewExec().withCommand("sleep", Integer.toString(PRE_STOP_SECONDS))
                .endExec().endPreStop().endLifecycle()
                .build();
        long grace = PRE_STOP_SECONDS + gateway.drainSeconds + 15L;
        return PodTemplates.deployment(names, Component.GATEWAY, names.gateway(), replicas,
                PodTemplates.pod(names, Component.GATEWAY, container, gateway.scheduling, grace, images),
                gateway.podAnnotations, secretsDigest);
    }

    public static Service service(ClusterNames names, ServiceSpec spec) {
        ServiceSpec service = Optional.ofNullable(spec).orElseGet(ServiceSpec::new);
        return new ServiceBuilder()
                .withNewMetadata().withName(names.gateway()).withNamespace(names.namespace())
                    .withLabels(names.labels(Component.GATEWAY)).withAnnotations(new LinkedHashMap<>(Optional.ofNullable(service.annotations).orElse(Map.of()))).endMetadata()
                .withNewSpec()
                    .withType(service.type.name())
                    .withSelector(names.selector(Component.GATEWAY))
                    .addNewPort().withName("http").withPort(SERVICE_PORT).withTargetPort(new IntOrString("http"))
                        .withProtocol("TCP").endPort()
                .endSpec()
                .build();
    }

    public static PodDisruptionBudget disruptionBudget(ClusterNames names) {
        return PodDisruptionBudgets.oneAtATime(names, names.gateway(), Component.GATEWAY);
    }
}
