package io.herald.gateway.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.herald.gateway.apps.ChannelRules.HistoryRule;
import io.herald.streams.Retention;

class ChannelRulesTest {

    private static final HistoryRule DEFAULT = new HistoryRule("", 100, 120);

    private static ChannelRules rules(String json) {
        return Apps.parse("[{\"id\":\"1\",\"key\":\"k\",\"secret\":\"s\"," + json + "}]", "apps.json").get(0).rules();
    }

    @Test
    void theLongestMatchingPrefixDecidesAndUnmatchedChannelsKeepTheDefaultHistoryAndNoArchive() {
        ChannelRules rules = rules("\"history\":[{\"prefix\":\"chat-\",\"size\":500,\"ttlSeconds\":600},"
                + "{\"prefix\":\"chat-vip-\",\"size\":0,\"ttlSeconds\":0}],"
                + "\"archive\":[{\"prefix\":\"\",\"retentionSeconds\":3600},{\"prefix\":\"chat-\",\"retentionSeconds\":86400}]");

        assertEquals(new Retention(500, 600, 86400), rules.retentionFor("chat-lobby", DEFAULT));
        assertEquals(new Retention(0, 0, 86400), rules.retentionFor("chat-vip-1", DEFAULT), "size 0 turns history off");
        assertEquals(new Retention(100, 120, 3600), rules.retentionFor("news", DEFAULT));
        assertEquals(new Retention(100, 120, 0), rules("\"clientEvents\":true").retentionFor("news", DEFAULT));
    }

    @Test
    void usersPersonalStreamsKeepTheOfflineRuleUnlessAnExplicitRuleOfTheirPrefixOrALongerOneMatches() {
        assertEquals(new Retention(1000, 86400, 0), rules("\"clientEvents\":true").retentionFor("#server-to-user-7", DEFAULT),
                "the default offline rule: 1000 events for a day");
        ChannelRules offline = rules("\"offline\":{\"retentionSeconds\":3600,\"maxEvents\":50},"
                + "\"history\":[{\"prefix\":\"\",\"size\":10,\"ttlSeconds\":60}]");
        assertEquals(new Retention(50, 3600, 0), offline.retentionFor("#server-to-user-7", DEFAULT),
                "a shorter explicit prefix does not override the offline rule");
        assertEquals(new Retention(10, 60, 0), offline.retentionFor("news", DEFAULT));
        ChannelRules explicit = rules("\"offline\":{\"retentionSeconds\":3600,\"maxEvents\":50},"
                + "\"history\":[{\"prefix\":\"#server-to-user-\",\"size\":5,\"ttlSeconds\":30},"
                + "{\"prefix\":\"#server-to-user-bot\",\"size\":0,\"ttlSeconds\":0}]");
        assertEquals(new Retention(5, 30, 0), explicit.retentionFor("#server-to-user-7", DEFAULT));
        assertEquals(new Retention(0, 0, 0), explicit.retentionFor("#server-to-user-bot1", DEFAULT));
    }

    @Test
    void anOfflineRuleOutOfBoundsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> rules("\"offline\":{\"maxEvents\":10001}"));
        assertThrows(IllegalArgumentException.class, () -> rules("\"offline\":{\"retentionSeconds\":0}"));
    }

    @Test
    void aRuleOutOfBoundsIsRefusedNamingIt() {
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> rules("\"history\":[{\"prefix\":\"a\",\"size\":10001,\"ttlSeconds\":60}]"));
        assertTrue(tooBig.getMessage().contains("10001"), tooBig.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rules("\"archive\":[{\"prefix\":\"a\",\"retentionSeconds\":0}]"));
        assertThrows(IllegalArgumentException.class, () -> rules("\"history\":[{\"prefix\":\"a\",\"size\":5,\"ttlSeconds\":-1}]"));
    }
}
