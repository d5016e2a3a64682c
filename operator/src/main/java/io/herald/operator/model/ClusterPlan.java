package io.herald.operator.model;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.herald.operator.apps.PublishedApp;
import io.herald.operator.crd.v1alpha1.PushClusterSpec;

/**
 * Everything one PushCluster should consist of, computed from its spec, the gateway replica count
 * the scaler chose, the images and the published apps, without any call to the API server.
 */
public record ClusterPlan(PodAccess gatewayAccess, PodAccess routerAccess, Secret appsSecret,
        Deployment gatewayDeployment, Service gatewayService, PodDisruptionBudget gatewayDisruptionBudget,
        Deployment routerDeployment, PodDisruptionBudget routerDisruptionBudget, Optional<Ingress> ingress,
        String endpoint, Optional<NetworkPolicy> gatewayNetworkPolicy, Optional<NetworkPolicy> routerNetworkPolicy,
        Service metricsService, Optional<GenericKubernetesResource> serviceMonitor,
        Optional<GenericKubernetesResource> prometheusRule, Optional<GenericKubernetesResource> httpRoute) {

    /** @param secretsDigest digest of the Secret values the pods read (see {@link PodTemplates#SECRETS_DIGEST_ANNOTATION}) */
    public static ClusterPlan of(ClusterNames names, PushClusterSpec spec, int gatewayReplicas, Images images,
            List<PublishedApp> apps, String secretsDigest) {
        return new ClusterPlan(
                AccessModel.of(names, Component.GATEWAY),
                AccessModel.of(names, Component.ROUTER),
                AppsSecretModel.secret(names, apps),
                GatewayModel.deployment(names, spec, gatewayReplicas, images, secretsDigest),
                GatewayModel.service(names, spec.gateway.service),
                GatewayModel.disruptionBudget(names),
                RouterModel.deployment(names, spec, images, secretsDigest),
                RouterModel.disruptionBudget(names),
                Optional.ofNullable(spec.ingress).map(ingress -> IngressModel.ingress(names, ingress, spec.gateway.console)),
                IngressModel.endpoint(names, spec.ingress),
                Optional.ofNullable(spec.networkPolicy).map(policy -> NetworkPolicyModel.policy(names, Component.GATEWAY, policy,
                        spec.monitoring)),
                Optional.ofNullable(spec.networkPolicy).map(policy -> NetworkPolicyModel.policy(names, Component.ROUTER, policy,
                        spec.monitoring)),
                MonitoringModel.metricsService(names),
                MonitoringModel.serviceMonitor(names, spec.monitoring),
                MonitoringModel.prometheusRule(names, spec.monitoring),
                Optional.ofNullable(spec.httpRoute).map(route -> HttpRouteModel.route(names, route, spec.gateway.console)));
    }
}
