package io.tunnelmq.server;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A headless Chromium for browser tests: the operating system's {@code chromium} and {@code chromedriver} (Debian
 * packages {@code chromium} and {@code chromium-driver}), given to Selenium by path so that its Selenium Manager never
 * looks for, or downloads, a browser or a driver. Missing ones fail the test with how to install them: a browser test
 * that skips itself would pass on a machine where it never ran.
 */
final class Chromium {
    static final Path BROWSER = Path.of(System.getProperty("tunnelmq.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("tunnelmq.chromedriver", "/usr/bin/chromedriver"));

    /** Held so the setting stays: Selenium warns that it has no DevTools code for this Chromium, which we never use. */
    private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

    static {
        DEVTOOLS_LOG.setLevel(Level.SEVERE);
    }

    private Chromium() {
    }

    /** A new headless browser with a window of {@code width} x {@code height}. */
    static ChromeDriver start(int width, int height) {
        for (Path p : new Path[]{BROWSER, DRIVER}) {
            if (!Files.isExecutable(p)) {
                throw new AssertionError(p + " is missing: the web console test drives a real Chromium. Install it"
                        + " with 'sudo apt-get install -y chromium chromium-driver' (Debian/Ubuntu), or point"
                        + " -Dtunnelmq.chromium and -Dtunnelmq.chromedriver at a browser and its driver");
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // root in a container: no sandbox; /dev/shm is small there
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + width + "," + height, "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--metrics-recording-only", "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(20))
                .build();
        return new ChromeDriver(service, options);
    }
}
