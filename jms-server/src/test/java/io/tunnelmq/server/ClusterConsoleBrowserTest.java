package io.tunnelmq.server;

import io.tunnelmq.protocol.message.WireDestination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;

import static io.tunnelmq.server.PersistenceTest.persistent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console of a broker over a shared PostgreSQL store, in a real headless Chromium: the queue table has a
 * column for what the store holds, and a queue no client of this broker used is listed and opens with its messages.
 */
@Timeout(60)
class ClusterConsoleBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    final BrokerPair brokers = new BrokerPair();
    private ChromeDriver browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aQueueOnlyTheStoreHoldsIsListedWithItsCountAndOpensWithItsMessages() throws Exception {
        try (TestClient onB = TestClient.open(brokers.b())) {
            int s = onB.openSession(false);
            for (int i = 0; i < 3; i++) {
                onB.sendMessage(s, persistent(WireDestination.queue("orders"), "m" + i));
            }
        }
        browser = Chromium.start(1360, 860);
        WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(50));
        browser.get("http://127.0.0.1:" + brokers.a().httpPort() + "/");

        By stored = By.cssSelector("tr[data-queue='orders'] td:nth-child(3)");
        wait.until(ExpectedConditions.textToBe(stored, "3"));
        assertThat(browser.findElement(By.cssSelector("#queue-table th.stored-col")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.cssSelector("tr[data-queue='orders'] td:nth-child(2)")).getText())
                .as("held here").isEqualTo("0");

        browser.findElement(By.linkText("orders")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#message-rows tr"), 3));
        assertThat(browser.findElement(By.id("queue-cards")).getText()).contains("in store");
        assertThat(browser.findElements(By.cssSelector("#message-rows .badge.stored"))).hasSize(3);
    }
}
