package io.herald.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.herald.contract.PodSettings;
import io.herald.local.SettingsReference;
import io.herald.local.TestConfigMappings;
import io.herald.membership.MembershipConfig;
import io.herald.streams.StreamsConfig;

/** The operator and the local launcher hand gateways settings by the names in {@link PodSettings}; the gateway must read them by those names. */
class GatewayConfigTest {

    @Test
    void theEnvironmentVariablesTheOperatorAndTheLauncherSetReachTheGatewaysSettings() {
        GatewayConfig config = TestConfigMappings.fromEnvironment(GatewayConfig.class, Map.of(
                        PodSettings.env(PodSettings.CONNECTIONS_PER_ADDRESS), "7",
                        PodSettings.env(PodSettings.MONGODB_URI), "mongodb://archive:27017",
                        PodSettings.env(PodSettings.CONSOLE_ENABLED), "true",
                        PodSettings.env(PodSettings.APP_ID), "42",
                        PodSettings.env(PodSettings.APP_KEY), "the-key",
                        PodSettings.env(PodSettings.APP_SECRET), "the-secret",
                        PodSettings.env(PodSettings.DRAIN_PERIOD), "1s",
                        PodSettings.env(PodSettings.APPS_SECRET), "chat-apps",
                        PodSettings.env(PodSettings.GATEWAY_MAX_CONNECTIONS), "20000"));

        assertEquals(7, config.limits().connectionsPerAddress());
        assertEquals(Optional.of("mongodb://archive:27017"), config.mongodb().uri());
        assertTrue(config.console().enabled());
        assertEquals(Optional.of("42"), config.app().id());
        assertEquals(Optional.of("the-key"), config.app().key());
        assertEquals(Optional.of("the-secret"), config.app().secret());
        assertEquals(Duration.ofSeconds(1), config.drain().period());
        assertEquals(Optional.of("chat-apps"), config.apps().secret());
        assertEquals(20000, config.gateway().maxConnections());
    }

    @Test
    void theOperationsGuideListsExactlyTheSettingsAGatewayReadsWithTheirDefaults() {
        SettingsReference.assertDocumented("gateways", StreamsConfig.class, MembershipConfig.class, GatewayConfig.class);
    }
}
