package io.herald.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

class LocalApiServerTest {

    @Test
    void aStoppedApiServerRefusesConnectionsAndComesBackOnItsPortWithItsObjects() {
        try (LocalApiServer server = LocalApiServer.start();
                KubernetesClient kubernetes = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                        .withMasterUrl(server.url()).withNamespace(LocalApiServer.NAMESPACE)
                        .withRequestRetryBackoffLimit(0).withConnectionTimeout(1000).build()).build()) {
            kubernetes.leases().resource(new LeaseBuilder().withNewMetadata().withName("router-1").endMetadata()
                    .withNewSpec().withHolderIdentity("router-1").endSpec().build()).create();

            server.stop();
            assertThrows(KubernetesClientException.class, () -> kubernetes.leases().withName("router-1").get());

            server.restart();
            Lease kept = kubernetes.leases().withName("router-1").get();
            assertEquals("router-1", kept.getSpec().getHolderIdentity());
        }
    }
}
