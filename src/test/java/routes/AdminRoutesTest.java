package routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin API's answers that need no broker: 401 without the right token, 405 for a method a path
 * does not take, 404 for no such path, 400 for a request that names no topic, and its OpenAPI document.
 */
class AdminRoutesTest extends RouteTestSupport {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Override
    String routes() {
        return "routes/AdminRoutes";
    }

    @Override
    Map<String, String> settings() {
        return Map.of("admin.token", "s3cret-token");
    }

    @Test
    void refusesWithTheRightStatus() throws Exception {
        HttpResponse<String> noToken = send("POST", "/admin/topics", null, "{\"name\":\"x\"}");
        assertEquals(401, noToken.statusCode());
        assertTrue(noToken.body().contains("missing or wrong bearer token") && !noToken.body().contains("s3cret"));
        assertEquals(401, send("DELETE", "/admin/topics/results?force=true", "wrong", null).statusCode());
        assertEquals(401, send("POST", "/admin/topics/results/partitions", "s3cret-token-", "{\"partitions\":3}").statusCode());
        assertEquals(405, send("PUT", "/admin/topics", "s3cret-token", "{}").statusCode());
        assertEquals(404, send("GET", "/admin/no-such-thing", null, null).statusCode());
        HttpResponse<String> noTopic = send("GET", "/admin/offsets", null, null);
        assertEquals(400, noTopic.statusCode());
        assertTrue(noTopic.body().contains("\"status\":400"), noTopic.body());
        HttpResponse<String> text = HTTP.send(HttpRequest.newBuilder(uri("/admin/offsets")).header("Accept", "text/plain")
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(text.body().startsWith("error: name one topic"), text.body());
    }

    @Test
    void servesItsOpenApiDocument() throws Exception {
        HttpResponse<String> api = send("GET", "/admin/openapi.json", null, null);
        assertEquals(200, api.statusCode());
        assertTrue(api.body().contains("/admin/topics/{topic}/partitions") && api.body().contains("kafka-scale admin"), api.body());
    }

    private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + HTTP_PORT + path);
    }
}
