package io.herald.operator.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Grafana dashboard the repository ships: it must import (the fields Grafana needs are there
 * and well formed) and chart only series that docs/operations.md documents, so a renamed metric
 * cannot leave a panel silently empty.
 */
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Path.of("../deploy/grafana/herald.json");
    private static final Path OPERATIONS = Path.of("../docs/operations.md");
    private static final Pattern SERIES = Pattern.compile("\\b(?:herald|operator_sdk)_[a-z_]+");

    @Test
    void theDashboardHasWhatGrafanaNeedsToImportIt() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertFalse(dashboard.path("title").asText().isBlank());
        assertFalse(dashboard.path("uid").asText().isBlank());
        assertTrue(dashboard.path("schemaVersion").isInt());
        assertEquals("datasource", dashboard.path("templating").path("list").get(0).path("type").asText());
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            assertTrue(ids.add(panel.path("id").asInt()), "panel ids are unique: " + title);
            JsonNode grid = panel.path("gridPos");
            assertTrue(grid.path("x").asInt() + grid.path("w").asInt() <= 24, "fits the 24-column grid: " + title);
            assertTrue(grid.path("h").asInt() > 0, "has a height: " + title);
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), title);
            assertFalse(panel.path("targets").isEmpty(), "has queries: " + title);
            for (JsonNode target : panel.path("targets")) {
                assertFalse(target.path("expr").asText().isBlank(), title);
                assertFalse(target.path("refId").asText().isBlank(), title);
            }
        }
    }

    @Test
    void everySeriesTheDashboardChartsIsDocumented() throws Exception {
        String dashboard = Files.readString(DASHBOARD);
        String operations = Files.readString(OPERATIONS);
        Matcher series = SERIES.matcher(dashboard);
        int found = 0;
        while (series.find()) {
            String name = series.group().replaceFirst("_bucket$", "");
            assertTrue(operations.contains("`" + name), name + " is charted but not in docs/operations.md");
            found++;
        }
        assertTrue(found > 20, "the dashboard charts Herald's series");
    }
}
