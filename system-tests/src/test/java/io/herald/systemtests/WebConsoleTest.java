package io.herald.systemtests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import io.herald.contract.PodSettings;
import io.herald.local.AppCredentials;
import io.herald.local.LocalCluster;
import io.herald.local.LocalClusterOptions;
import io.herald.local.MetricsScrape;
import io.herald.local.NodeProcess;

/**
 * The web console in real headless Chromium (Debian's chromium and chromedriver, driven by
 * Selenium), against two gateways and a router with the console on: the page signs in with the
 * app's credentials and refuses wrong ones, shows pusher-js connections held by either gateway
 * with their users and channels, occupied channels with presence members, an event published
 * over REST within a second, and its form publishes to a pusher-js subscriber. The console is
 * served by gateway A throughout; the clients and publications that must cross the cluster use
 * gateway B.
 */
class WebConsoleTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final AppCredentials APP = PusherClients.APP;

    private static LocalCluster cluster;
    private static NodeProcess consoleGateway;
    private static NodeProcess otherGateway;
    private static HeadlessChromium chromium;
    private static WebDriver browser;
    private static RedissonClient redis;

    @BeforeAll
    static void startClusterAndBrowser() throws Exception {
        NodeScripts.prepare();
        cluster = TestClusters.start(WebConsoleTest.class, 2, 1, LocalClusterOptions.DEFAULT_LEASE_DURATION,
                Map.of(PodSettings.env(PodSettings.CONSOLE_ENABLED), "true"));
        consoleGateway = cluster.gateways().get(0);
        otherGateway = cluster.gateways().get(1);
        chromium = HeadlessChromium.start("--window-size=1280,1600");
        browser = chromium.driver();
        redis = TestClusters.redis(cluster);
    }

    @AfterAll
    static void stopBrowserAndCluster() throws Exception {
        if (redis != null) {
            redis.shutdown();
        }
        if (chromium != null) {
            chromium.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aWrongSecretIsRefusedInThePageAndEveryApiCallWantsAValidToken() throws Exception {
        open();
        signIn(APP.secret() + "-wrong");
        WebElement error = browser.findElement(By.id("login-error"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElement(error, "Wrong app id, key or secret"));
        assertTrue(error.isDisplayed());
        assertTrue(!browser.findElement(By.id("console")).isDisplayed(), "the console stays hidden");

        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/console/api/apps/" + APP.id() + "/stream?token=" + APP.id() + ".99999999999.00",
                "/console/api/apps/" + APP.id() + "/session")) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, answer.statusCode(), path);
            assertTrue(answer.body().contains("\"status\":401"), answer.body());
        }
    }

    @Test
    void pusherJsConnectionsOnEitherGatewayShowWithTheirUserChannelsAndPresenceMembers() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String publicChannel = "console-" + suffix;
        String presenceChannel = "presence-console-" + suffix;
        signedIn();
        try (ConsoleClient far = ConsoleClient.start(otherGateway.httpPort(), APP, "ada-" + suffix,
                List.of(publicChannel, presenceChannel));
                ConsoleClient near = ConsoleClient.start(consoleGateway.httpPort(), APP, "bob-" + suffix, List.of(presenceChannel))) {
            WebDriverWait wait = new WebDriverWait(browser, WAIT);
            wait.until(ignored -> far.subscribedTo(Set.of(publicChannel, presenceChannel)) && near.subscribedTo(Set.of(presenceChannel)));

            // A row can first come from a snapshot taken before the presence join: the user and
            // the channels (sorted) are waited for, the rest checked.
            List<String> farRow = connectionRow(wait, far.socketId(),
                    cells -> cells.get(1).equals("ada-" + suffix) && cells.get(3).equals(publicChannel + ", " + presenceChannel));
            assertEquals("127.0.0.1", farRow.get(2), "remote address");
            assertEquals(TestClusters.memberId(cluster, otherGateway), farRow.get(5), "gateway");
            List<String> nearRow = connectionRow(wait, near.socketId(), cells -> true);
            assertEquals(TestClusters.memberId(cluster, consoleGateway), nearRow.get(5), "gateway");

            List<String> presence = wait.until(ignored -> cellsOf(By.cssSelector(
                    "#channels tr[data-channel='" + presenceChannel + "']"), cells -> cells.get(1).equals("2")));
            assertEquals(Set.of("ada-" + suffix, "bob-" + suffix), Set.of(presence.get(2).split(", ")), "presence members");
            wait.until(ignored -> cellsOf(By.cssSelector("#channels tr[data-channel='" + publicChannel + "']"),
                    cells -> cells.get(1).equals("1")));
            keepScreenshot("console-with-connections.png");
        }
    }

    @Test
    void anEventPublishedOverRestOnTheOtherGatewayShowsInTheLogWithinASecond() throws Exception {
        signedIn();
        // Both gateways report once each has a snapshot in; only then does a publication reach the log at once.
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.id("gateway-count"), "2"));
        String event = "rest-" + UUID.randomUUID().toString().substring(0, 8);
        String channel = "console-log-" + event;
        assertEquals(200, PusherClients.publisher(otherGateway).trigger(channel, event, "{\"n\":1}").getHttpStatus());
        long published = System.nanoTime();
        WebElement row = new WebDriverWait(browser, Duration.ofSeconds(1), Duration.ofMillis(20)).until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("#log tr[data-event='" + event + "']")));
        System.out.printf("[web-console] the REST publication showed in the log after %d ms%n",
                (System.nanoTime() - published) / 1_000_000);
        List<String> cells = row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertEquals(List.of("publish", channel, event, "{\"n\":1}"), cells.subList(1, 5));
        assertEquals(TestClusters.memberId(cluster, otherGateway), cells.get(6), "the gateway that took it");
    }

    @Test
    void theLogShowsConnectsClientEventsRefusedSubscriptionsAndDisconnectsAndFiltersByChannel() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String privateChannel = "private-console-" + suffix;
        signedIn();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.textToBe(By.id("gateway-count"), "2"));
        String socketId;
        try (ConsoleClient client = ConsoleClient.start(otherGateway.httpPort(), APP, "dora-" + suffix, List.of(privateChannel))) {
            wait.until(ignored -> client.subscribedTo(Set.of(privateChannel)));
            socketId = client.socketId();
            assertEquals(List.of("connect", "", "", "127.0.0.1"), logRow(wait, "connect", socketId).subList(1, 5));
            assertEquals(List.of("client-event", privateChannel, "client-hello", "{\"from\":\"dora-" + suffix + "\"}"),
                    logRow(wait, "client-event", socketId).subList(1, 5));
        }
        assertTrue(logRow(wait, "disconnect", socketId).get(4).startsWith("127.0.0.1 code "), "the close code is shown");

        try (ConsoleClient refused = ConsoleClient.start(otherGateway.httpPort(), APP, APP.secret() + "-wrong", "eve",
                List.of(privateChannel))) {
            wait.until(ignored -> refused.refused(privateChannel));
            List<String> error = logRow(wait, "subscription-error", refused.socketId());
            assertEquals(privateChannel, error.get(2));
            assertTrue(error.get(4).startsWith("AuthError 401: "), error.get(4));
        }

        type(By.id("filter-channel"), privateChannel);
        List<WebElement> rows = browser.findElements(By.cssSelector("#log tbody tr"));
        assertTrue(rows.stream().anyMatch(WebElement::isDisplayed), "the channel's rows stay");
        rows.forEach(row -> assertEquals(row.getAttribute("data-channel").contains(privateChannel), row.isDisplayed(),
                "only the channel's rows show: " + row.getText()));
        browser.findElement(By.id("filter-channel")).clear();
        type(By.id("filter-event"), "client-hello");
        browser.findElements(By.cssSelector("#log tbody tr")).forEach(row -> assertEquals(
                row.getAttribute("data-event").contains("client-hello"), row.isDisplayed()));
        browser.findElement(By.id("filter-event")).clear();
    }

    @Test
    void theSessionsGaugeCountsTheOpenPages() {
        signedIn();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ignored -> consoleSessions() == 1);
        browser.findElement(By.id("sign-out")).click();
        wait.until(ignored -> consoleSessions() == 0);
    }

    @Test
    void theFormPublishesToAPusherJsSubscriberOnTheOtherGateway() throws Exception {
        String channel = "console-form-" + UUID.randomUUID().toString().substring(0, 8);
        signedIn();
        try (ConsoleClient subscriber = ConsoleClient.start(otherGateway.httpPort(), APP, "carol", List.of(channel))) {
            WebDriverWait wait = new WebDriverWait(browser, WAIT);
            wait.until(ignored -> subscriber.subscribedTo(Set.of(channel)));
            type(By.id("publish-channel"), channel);
            type(By.id("publish-event"), "from-console");
            type(By.id("publish-data"), "{\"hello\":\"browser\"}");
            browser.findElement(By.id("publish-button")).click();
            wait.until(ExpectedConditions.textToBe(By.id("publish-result"), "Published."));
            wait.until(ignored -> subscriber.received(channel, "from-console", "{\"hello\":\"browser\"}"));
        }
    }

    /** What the page looked like, beside the cluster's logs, for whoever reads a failure or changes the page. */
    @Test
    void aLogThatRedisRefusesCountsAsARedisErrorAndTheLogGoesOnOnceRedisTakesItAgain() throws Exception {
        signedIn();
        String log = TestClusters.layout(redis, cluster).consoleLog(APP.id());
        double before = consoleRedisErrors();
        // A key of the wrong type makes both writing the log (publications) and reading it (the page) fail.
        redis.getBucket(log, StringCodec.INSTANCE).set("not a stream");
        try {
            assertEquals(200, PusherClients.publisher(consoleGateway).trigger("console-refused", "lost", "{}").getHttpStatus());
            await().atMost(WAIT).until(() -> consoleRedisErrors() > before);
        } finally {
            redis.getBucket(log).delete();
        }
        String event = "after-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(200, PusherClients.publisher(consoleGateway).trigger("console-back", event, "{}").getHttpStatus());
        new WebDriverWait(browser, WAIT).until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("#log tr[data-event='" + event + "']")));
    }

    private static double consoleRedisErrors() throws Exception {
        return MetricsScrape.of(URI.create(base() + "/")).value("herald_redis_command_errors_total", "operation", "console");
    }

    private static void keepScreenshot(String name) throws IOException {
        Path directory = Path.of(System.getProperty("herald.home", "..")).toAbsolutePath().normalize()
                .resolve("system-tests/target/cluster-logs/" + WebConsoleTest.class.getSimpleName());
        Files.createDirectories(directory);
        Files.write(directory.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** What the console's gateway says of its open console pages; -1 when the gauge is missing. */
    private static double consoleSessions() {
        try {
            MetricsScrape metrics = MetricsScrape.of(URI.create(base() + "/"));
            return metrics.has("herald_gateway_console_sessions") ? metrics.value("herald_gateway_console_sessions") : -1;
        } catch (Exception e) {
            throw new IllegalStateException("Could not scrape the console's gateway", e);
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + consoleGateway.httpPort();
    }

    private static void open() {
        browser.get(base() + "/console");
        new WebDriverWait(browser, WAIT).until(ignored -> browser.findElement(By.id("login")).isDisplayed()
                || browser.findElement(By.id("console")).isDisplayed());
        WebElement signOut = browser.findElement(By.id("sign-out"));
        if (signOut.isDisplayed()) {
            signOut.click();
        }
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
    }

    private static void signIn(String secret) {
        type(By.id("app-id"), APP.id());
        type(By.id("app-key"), APP.key());
        type(By.id("app-secret"), secret);
        browser.findElement(By.id("sign-in")).click();
    }

    /** Opens the page signed in, its event stream live. */
    private static void signedIn() {
        open();
        signIn(APP.secret());
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("console")));
        wait.until(ExpectedConditions.textToBe(By.id("status"), "app " + APP.id() + ": live"));
    }

    private static void type(By field, String text) {
        WebElement element = browser.findElement(field);
        element.clear();
        element.sendKeys(text);
    }

    /** The cells of the log's first row of that type for the socket, once it shows. */
    private static List<String> logRow(WebDriverWait wait, String type, String socketId) {
        return wait.until(ignored -> cellsOf(By.cssSelector("#log tr[data-type='" + type + "'][data-socket-id='" + socketId + "']"),
                cells -> true));
    }

    /** The cells of the connection table's row of the socket, once it shows. */
    private static List<String> connectionRow(WebDriverWait wait, String socketId, Predicate<List<String>> check) {
        return wait.until(ignored -> cellsOf(By.cssSelector("#connections tr[data-socket-id='" + socketId + "']"), check));
    }

    /** The texts of the first row matching, when it exists and they pass the check; else null, to wait on. */
    private static List<String> cellsOf(By row, Predicate<List<String>> check) {
        List<WebElement> rows = browser.findElements(row);
        if (rows.isEmpty()) {
            return null;
        }
        try {
            List<String> cells = rows.get(0).findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
            return check.test(cells) ? cells : null;
        } catch (StaleElementReferenceException redrawn) {
            return null;
        }
    }
}
