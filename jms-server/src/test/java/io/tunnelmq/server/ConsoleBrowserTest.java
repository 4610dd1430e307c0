package io.tunnelmq.server;

import io.tunnelmq.protocol.Protocol;
import io.tunnelmq.protocol.frame.Deliver;
import io.tunnelmq.protocol.frame.Hello;
import io.tunnelmq.protocol.frame.SettleOutcome;
import io.tunnelmq.protocol.frame.Welcome;
import io.tunnelmq.protocol.message.WireDestination;
import io.tunnelmq.server.http.HttpReply;
import io.tunnelmq.server.http.HttpRoutes;
import io.tunnelmq.server.http.HttpServer;
import io.tunnelmq.server.security.PasswdCommand;
import io.tunnelmq.server.security.PasswordFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import static io.tunnelmq.server.Messages.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in a real headless Chromium against an embedded broker with users: log in, watch a queue's depth
 * change as a client sends (without a reload), open a queue's page with its messages (a locked one marked), purge and
 * replay a dead letter through the confirmation dialog, see the connections, and leave a screenshot in
 * {@code target/console.png}; and a page of another origin that tries to purge through the logged-in browser.
 */
@Timeout(60)
class ConsoleBrowserTest {
    private static final WireDestination ORDERS = WireDestination.queue("orders");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private ChromeDriver browser;
    private WebDriverWait wait;
    private TestClient producer;
    private int producerChannel;

    @BeforeEach
    void start() throws Exception {
        Path users = dir.resolve("users.properties");
        int code = PasswdCommand.run(new String[]{users.toString(), "alice"},
                new ByteArrayInputStream("wonder land\n".getBytes(StandardCharsets.UTF_8)), null,
                new PrintStream(new ByteArrayOutputStream()), System.err);
        assertThat(code).isZero();
        Path permissions = Files.writeString(dir.resolve("permissions.properties"),
                "role.ops = alice\nqueue.>.send,consume,browse,create,admin = ops\n");
        broker = EmbeddedBroker.start(BrokerFixture.config().withHttpPort(BrokerFixture.freePort())
                .withPermissionsFile(permissions), PasswordFile.load(users, false));
        producer = TestClient.connect(broker);
        producer.send(new Hello(Protocol.VERSION, null, "alice",
                "wonder land", 0, Map.of()));
        producer.expect(Welcome.class);
        producerChannel = producer.openSession(false);
        browser = Chromium.start(1360, 860);
        wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(50));
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (producer != null) {
            producer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anOperatorWatchesAQueueAndActsOnIt() throws Exception {
        browser.get("http://127.0.0.1:" + broker.httpPort() + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        browser.findElement(By.id("login-user")).sendKeys("alice");
        browser.findElement(By.id("login-password")).sendKeys("wonder land");
        browser.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("queues-view")));
        assertThat(browser.findElement(By.id("user")).getText()).isEqualTo("Logged in as alice");
        // a mark on the page: it survives only if the page is never reloaded
        browser.executeScript("window.tmqMark = 'no reload'");

        send(3);
        awaitCell("orders", 2, "3");
        send(2);
        awaitCell("orders", 2, "5");
        awaitCell("orders", 8, "5"); // enqueued
        assertThat(browser.executeScript("return window.tmqMark")).isEqualTo("no reload");
        assertThat(browser.findElement(By.cssSelector("#queue-table th.stored-col")).isDisplayed())
                .as("no shared store: no column for it").isFalse();

        // a consumer dead-letters one message and keeps the next one locked
        try (TestClient consumer = TestClient.connect(broker)) {
            consumer.send(new Hello(Protocol.VERSION, null, "alice", "wonder land", 0, Map.of()));
            consumer.expect(Welcome.class);
            int channel = consumer.openSession(false);
            consumer.createConsumer(channel, 1, ORDERS, 2);
            Deliver first = consumer.awaitDelivery(channel, 1);
            consumer.awaitDelivery(channel, 1);
            consumer.settle(channel, SettleOutcome.DEAD_LETTER, first.lockToken());
            awaitCell("DLQ.orders", 2, "1");
            awaitCell("orders", 2, "4");
            awaitCell("orders", 5, "1"); // locked
            awaitCell("orders", 11, "1"); // dead-lettered

            // the queue's own page, reached by its link: its messages, the locked one with its owner
            wait.until(ExpectedConditions.elementToBeClickable(By.linkText("orders"))).click();
            wait.until(ExpectedConditions.textToBe(By.id("queue-name"), "orders"));
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#message-rows tr"), 4));
            // (the message table is redrawn every second: read it through waits, which find it again)
            wait.until(ExpectedConditions.textMatches(By.cssSelector("#message-rows .badge.locked"),
                    Pattern.compile("locked by connection \\d+ \\(alice@.*, \\d+ s left")));
            assertThat(browser.executeScript("return window.tmqMark")).isEqualTo("no reload");

            // purge asks first: Cancel keeps every message
            WebElement purge = wait.until(ExpectedConditions.elementToBeClickable(By.id("purge")));
            purge.click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
            assertThat(browser.findElement(By.id("confirm-text")).getText()).startsWith("Purge queue orders?");
            browser.findElement(By.id("confirm-cancel")).click();
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm")));
            assertThat(broker.queueDepth("orders")).isEqualTo(4);
            purge.click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
            browser.findElement(By.id("confirm-ok")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"),
                    "Purged 3 message(s) from orders"));
            assertThat(broker.queueDepth("orders")).isEqualTo(1); // the locked one stays with its consumer

            // delete asks too, and is refused while the queue has a consumer: the page says why
            wait.until(ExpectedConditions.elementToBeClickable(By.id("delete"))).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
            assertThat(browser.findElement(By.id("confirm-text")).getText()).startsWith("Delete orders?");
            browser.findElement(By.id("confirm-ok")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"),
                    "cannot delete queue orders: it has 1 consumer(s)"));
            assertThat(broker.destinations().findQueue("orders")).isPresent();

            // the dead-letter queue's page: replay sends the dead letter back to orders
            browser.executeScript("location.hash = '#/queue/DLQ.orders'");
            wait.until(ExpectedConditions.textToBe(By.id("queue-name"), "DLQ.orders"));
            wait.until(ExpectedConditions.elementToBeClickable(By.id("replay"))).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
            assertThat(browser.findElement(By.id("confirm-text")).getText()).startsWith("Replay the dead letters");
            browser.findElement(By.id("confirm-ok")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"),
                    "Replayed 1 message(s) from DLQ.orders"));
            assertThat(broker.queueDepth("DLQ.orders")).isZero();
            assertThat(broker.queueDepth("orders")).isEqualTo(2);

            // the emptied dead-letter queue is deleted; the console goes back to the queue table, without it
            wait.until(ExpectedConditions.elementToBeClickable(By.id("delete"))).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
            browser.findElement(By.id("confirm-ok")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Deleted DLQ.orders"));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("queue-table")));
            wait.until(ExpectedConditions.numberOfElementsToBe(
                    By.cssSelector("#queue-rows tr[data-queue='DLQ.orders']"), 0));
            assertThat(broker.destinations().findQueue("DLQ.orders")).isEmpty();
            assertThat(browser.executeScript("return window.tmqMark")).isEqualTo("no reload");

            // the connections: the producer's and the consumer's, both alice's
            browser.findElement(By.id("nav-connections")).click();
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#connection-rows tr"), 2));
            assertThat(browser.findElement(By.id("connection-rows")).getText()).contains("alice");
        }

        browser.findElement(By.id("nav-queues")).click();
        awaitCell("orders", 2, "2");
        screenshot(Path.of("target", "console.png"));

        // a permissions file the broker refuses is shown above every view until it is fixed
        Path permissions = dir.resolve("permissions.properties");
        String good = Files.readString(permissions);
        Files.writeString(permissions, good + "queue.>.sned = ops\n");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("problems"), "unknown permission 'sned'"));
        assertThat(browser.findElement(By.id("problems")).getText())
                .contains("the broker keeps the permissions it had until the file is fixed");
        Files.writeString(permissions, good);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("problems")));
        assertThat(browser.executeScript("return window.tmqMark")).isEqualTo("no reload");
    }

    @Test
    void aPageOfAnotherSiteCannotPurgeThroughTheOperatorsBrowser() throws Exception {
        send(2);
        String console = "http://127.0.0.1:" + broker.httpPort();
        browser.get(console + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        browser.findElement(By.id("login-user")).sendKeys("alice");
        browser.findElement(By.id("login-password")).sendKeys("wonder land");
        browser.findElement(By.id("login-submit")).click();
        awaitCell("orders", 2, "2");

        // another port of the same host: another origin but the same site, so even a SameSite cookie goes along
        String attack = "<!DOCTYPE html><html><head><title>cute cats</title></head><body>"
                + "<form id='f' method='POST' action='" + console + "/console/api/purge'>"
                + "<input name='queue' value='orders'></form><script>"
                + "fetch('" + console + "/console/api/purge', {method: 'POST', credentials: 'include', mode: 'cors',"
                + " headers: {'X-TunnelMQ-Console': '1', 'Content-Type': 'application/x-www-form-urlencoded'},"
                + " body: 'queue=orders'})"
                + ".then(() => { document.title = 'fetch went through'; })"
                + ".catch(() => { document.title = 'fetch refused'; document.getElementById('f').submit(); });"
                + "</script></body></html>";
        try (HttpServer attacker = HttpServer.start("127.0.0.1", 0, new HttpRoutes().add("/", call ->
                HttpReply.ok("text/html; charset=utf-8", attack.getBytes(StandardCharsets.UTF_8))))) {
            browser.get("http://127.0.0.1:" + attacker.localAddress().getPort() + "/");
            // the fetch with the console's header needs a CORS preflight the broker never grants; the plain form
            // post that follows lacks the header and lands on the broker's refusal
            wait.until(ExpectedConditions.urlContains("/console/api/purge"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"),
                    "a console action needs the X-TunnelMQ-Console header"));
        }
        assertThat(broker.queueDepth("orders")).isEqualTo(2);
    }

    private void send(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            producer.sendMessage(producerChannel, text(ORDERS, "order " + i));
        }
    }

    /** Waits until the queue table's row of {@code queue} shows {@code text} in column {@code column} (from 1). */
    private void awaitCell(String queue, int column, String text) {
        By cell = By.cssSelector("tr[data-queue='" + queue + "'] td:nth-child(" + column + ")");
        wait.withMessage(() -> "queue " + queue + ", column " + column + " to show " + text)
                .until(ExpectedConditions.textToBe(cell, text));
    }

    private void screenshot(Path file) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
    }
}
