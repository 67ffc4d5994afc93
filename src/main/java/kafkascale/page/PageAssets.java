package kafkascale.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The results page's files, served from the jar: plain HTML, JS and CSS, nothing from a CDN. Only the
 * named files are served; anything else is not found.
 */
public final class PageAssets {

    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");

    /** A file of the page with its content type. */
    public record Asset(String contentType, String text) {
    }

    /** The page itself for "/" (or an empty path); null for any other path. */
    public Asset index(String path) {
        return path == null || path.isEmpty() || path.equals("/") ? asset("index.html") : null;
    }

    /** A named file of the page, or null when it is not one of them. */
    public Asset asset(String name) {
        String type = name == null ? null : TYPES.get(name);
        if (type == null) {
            return null;
        }
        try (InputStream in = PageAssets.class.getResourceAsStream("/static/" + name)) {
            return new Asset(type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the page file " + name, e);
        }
    }
}
