package io.herald.gateway.apps;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.herald.contract.AppsSecret;
import io.herald.gateway.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Keeps the registry's apps in step with the Secret named by {@code herald.apps.secret}, in the
 * pod's own namespace: its {@code apps.json} holds the same JSON array as {@code herald.apps.json}.
 * An informer on that one Secret (all the pod's RBAC allows) hands every change to the registry
 * within moments, so apps come and go without a restart. A Secret that does not exist means no
 * apps from it; one whose content is not valid is logged and leaves the apps as they were.
 */
@ApplicationScoped
public class SecretApps implements ResourceEventHandler<Secret> {

    private static final Logger LOG = Logger.getLogger(SecretApps.class);

    @Inject
    GatewayConfig config;

    @Inject
    KubernetesClient client;

    @Inject
    AppRegistry registry;

    private String namespace;
    private SharedIndexInformer<Secret> informer;

    void start(@Observes StartupEvent event) {
        if (config.apps().secret().isEmpty()) {
            return;
        }
        namespace = Optional.ofNullable(client.getNamespace()).orElse("default");
        informer = client.secrets().inNamespace(namespace).withName(config.apps().secret().get()).inform(this, 0);
        LOG.infof("Watching Secret %s/%s for apps", namespace, config.apps().secret().get());
    }

    void stop(@Observes ShutdownEvent event) {
        if (informer != null) {
            informer.close();
        }
    }

    @Override
    public void onAdd(Secret secret) {
        apply(() -> appsIn(secret));
    }

    @Override
    public void onUpdate(Secret previous, Secret secret) {
        apply(() -> appsIn(secret));
    }

    @Override
    public void onDelete(Secret secret, boolean finalStateUnknown) {
        apply(List::of);
    }

    private void apply(Supplier<List<App>> apps) {
        try {
            LOG.infof("Apps from Secret %s/%s applied: now serving %s", namespace, config.apps().secret().get(),
                    registry.replaceSecretApps(apps.get()));
        } catch (IllegalArgumentException e) {
            LOG.errorf("Apps from Secret %s/%s not applied, keeping the apps as they were: %s", namespace,
                    config.apps().secret().get(), e.getMessage());
        }
    }

    private static List<App> appsIn(Secret secret) {
        String encoded = secret.getData() == null ? null : secret.getData().get(AppsSecret.KEY);
        if (encoded == null) {
            throw new IllegalArgumentException("the Secret has no key " + AppsSecret.KEY);
        }
        return Apps.parse(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8), AppsSecret.KEY);
    }
}
