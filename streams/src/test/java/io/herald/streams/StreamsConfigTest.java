package io.herald.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.herald.contract.PodSettings;
import io.herald.local.SettingsReference;
import io.herald.local.TestConfigMappings;

/** The operator hands pods their settings by the names in {@link PodSettings}; this module must read them by those names. */
class StreamsConfigTest {

    @Test
    void theEnvironmentVariablesTheOperatorSetsReachTheModulesSettings() {
        StreamsConfig config = TestConfigMappings.fromEnvironment(StreamsConfig.class, Map.of(
                        PodSettings.env(PodSettings.CLUSTER_NAME), "chat",
                        PodSettings.env(PodSettings.CLUSTER_NAMESPACE), "tenant-a",
                        PodSettings.env(PodSettings.CLUSTER_SHARDS), "16",
                        PodSettings.env(PodSettings.NODE_ID), "chat-gateway-0",
                        PodSettings.env(PodSettings.REDIS_URL), "rediss://redis:6380",
                        PodSettings.env(PodSettings.REDIS_PASSWORD), "hunter2",
                        PodSettings.env(PodSettings.REDIS_CLUSTER), "true",
                        PodSettings.env(PodSettings.REDIS_SLOT_GROUPS), "3",
                        PodSettings.env(PodSettings.PUBLISH_DURABILITY), PodSettings.DURABILITY_REPLICATED));

        assertEquals("chat", config.cluster().name());
        assertEquals(Optional.of("tenant-a"), config.cluster().namespace());
        assertEquals(16, config.cluster().shards());
        assertEquals(Optional.of("chat-gateway-0"), config.node().id());
        assertEquals("rediss://redis:6380", config.redis().url());
        assertEquals(Optional.of("hunter2"), config.redis().password());
        assertTrue(config.redis().cluster());
        assertEquals(Optional.of(3), config.redis().slotGroups());
        assertEquals(PodSettings.DURABILITY_REPLICATED, config.publish().durability());
    }

    @Test
    void everySettingOfTheModuleIsInTheOperationsGuideWithItsDefault() {
        SettingsReference.assertDocumented(null, StreamsConfig.class);
    }
}
