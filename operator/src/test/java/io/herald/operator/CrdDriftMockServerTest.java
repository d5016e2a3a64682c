package io.herald.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The committed CRDs (crds/ and the Helm chart's copy) are the ones the Java model generates. A
 * Quarkus test, because the CRDs are generated when Quarkus builds the application, which for a
 * test run happens at its first start. To refresh after changing the model:
 * {@code ./mvnw -pl operator -am package -DskipTests && cp operator/target/kubernetes/*-v1.yml crds/
 * && cp crds/*.yml helm/herald-operator/crds/}.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class CrdDriftMockServerTest {

    private static final List<String> CRDS = List.of("pushclusters.herald.io-v1.yml", "pushapps.herald.io-v1.yml");

    @Test
    void committedCrdsMatchTheGeneratedOnes() throws IOException {
        for (String crd : CRDS) {
            String generated = Files.readString(Path.of("target/kubernetes", crd));
            for (Path committed : List.of(Path.of("../crds", crd), Path.of("../helm/herald-operator/crds", crd))) {
                assertEquals(generated, Files.readString(committed), committed + " differs from the generated CRD; "
                        + "regenerate as this test's Javadoc says");
            }
        }
    }
}
