package io.herald.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The commands that install or upgrade the CRDs, as the docs print them, work on CRDs that Helm
 * installed: Helm's install owns every field (field manager {@code helm}), so a server-side apply
 * must force the conflict on {@code .spec.versions}; and they apply a directory that holds both
 * CRDs and nothing else.
 */
class CrdUpgradeCommandsTest {

    private static final Path ROOT = Path.of("..");
    /** Where a platform team reads the commands: the operations guide, the chart's README and its install notes. */
    private static final List<String> DOCUMENTS = List.of("docs/operations.md", "helm/herald-operator/README.md",
            "helm/herald-operator/templates/NOTES.txt", "README.md");
    private static final Pattern CRD_APPLY = Pattern.compile("kubectl apply[^`\\n]*crds/");

    @Test
    void everyDocumentedCrdApplyForcesHelmsFieldOwnershipAndNamesADirectoryOfTheCrds() throws IOException {
        Map<String, List<String>> commands = commands();
        assertTrue(commands.get("docs/operations.md").size() >= 2, "the guide shows the upgrade and the install without Helm");
        assertEquals(1, commands.get("helm/herald-operator/README.md").size());
        assertEquals(1, commands.get("helm/herald-operator/templates/NOTES.txt").size());

        commands.forEach((document, found) -> found.forEach(command -> {
            List<String> words = Arrays.asList(command.split("\\s+"));
            assertTrue(words.contains("--server-side"), document + ": " + command);
            assertTrue(words.contains("--force-conflicts"), document + ": " + command + " stops on the CRDs Helm installed");
            String directory = words.get(words.indexOf("-f") + 1);
            try {
                assertEquals(List.of("pushapps.herald.io", "pushclusters.herald.io"), crdNames(ROOT.resolve(directory)),
                        document + ": " + directory);
            } catch (IOException e) {
                throw new AssertionError(document + ": " + directory + " cannot be read", e);
            }
        }));
    }

    private static Map<String, List<String>> commands() throws IOException {
        Map<String, List<String>> commands = new TreeMap<>();
        for (String document : DOCUMENTS) {
            List<String> found = new ArrayList<>();
            Matcher matcher = CRD_APPLY.matcher(Files.readString(ROOT.resolve(document)));
            while (matcher.find()) {
                found.add(matcher.group());
            }
            commands.put(document, found);
        }
        return commands;
    }

    /** The names of the CRDs in a directory, which must hold nothing else. */
    private static List<String> crdNames(Path directory) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
                    assertEquals("herald.io", crd.getSpec().getGroup(), file.toString());
                    names.add(crd.getMetadata().getName());
                }
            }
        }
        return names;
    }
}
