package kafkascale.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Validates custom resources against the OpenAPI v3 schemas of their CustomResourceDefinitions
 * (vendored under src/test/resources/crds), as the API server does with strict field validation
 * (kubectl's default): unknown fields are errors unless the schema preserves them.
 * CEL rules (x-kubernetes-validations) are not evaluated.
 */
public final class CrdSchemas {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Schema per "group/version Kind". */
    private final Map<String, JsonSchema> schemas = new HashMap<>();

    public CrdSchemas(Path dir) throws IOException {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (ObjectNode crd : Kustomize.readDocuments(file)) {
                    JsonNode spec = crd.get("spec");
                    for (JsonNode version : spec.get("versions")) {
                        if (version.path("served").asBoolean()) {
                            JsonNode schema = strict(version.path("schema").path("openAPIV3Schema"));
                            schemas.put(spec.get("group").asText() + "/" + version.get("name").asText() + " "
                                    + spec.get("names").get("kind").asText(), factory.getSchema(schema));
                        }
                    }
                }
            }
        }
    }

    public boolean covers(JsonNode resource) {
        return schemas.containsKey(key(resource));
    }

    /** The schema's complaints about {@code resource}; empty when it is valid. */
    public Set<String> errors(JsonNode resource) {
        JsonSchema schema = schemas.get(key(resource));
        if (schema == null) {
            return Set.of("no served CRD version for " + key(resource));
        }
        Set<String> errors = new TreeSet<>();
        for (ValidationMessage m : schema.validate(resource)) {
            errors.add(m.getMessage());
        }
        return errors;
    }

    private static String key(JsonNode resource) {
        return resource.path("apiVersion").asText() + " " + resource.path("kind").asText();
    }

    /** The structural schema as a draft-4 JSON schema that refuses what the API server would prune. */
    static JsonNode strict(JsonNode schema) {
        ObjectNode out = NODES.objectNode();
        schema.fields().forEachRemaining(e -> {
            switch (e.getKey()) {
                case "properties" -> {
                    ObjectNode properties = out.putObject("properties");
                    e.getValue().fields().forEachRemaining(p -> properties.set(p.getKey(), strict(p.getValue())));
                }
                case "items", "not" -> out.set(e.getKey(), strict(e.getValue()));
                case "additionalProperties" -> out.set(e.getKey(), e.getValue().isObject() ? strict(e.getValue()) : e.getValue());
                case "allOf", "anyOf", "oneOf" -> {
                    ArrayNode list = out.putArray(e.getKey());
                    e.getValue().forEach(s -> list.add(strict(s)));
                }
                // formats such as int32 are not JSON schema formats; the type is still checked
                case "format", "description", "nullable", "x-kubernetes-int-or-string",
                        "x-kubernetes-preserve-unknown-fields", "x-kubernetes-validations", "x-kubernetes-list-type",
                        "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "x-kubernetes-embedded-resource" -> {
                }
                default -> out.set(e.getKey(), e.getValue());
            }
        });
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            out.remove("type");
            ArrayNode anyOf = out.putArray("anyOf");
            anyOf.addObject().put("type", "integer");
            anyOf.addObject().put("type", "string");
        }
        if (schema.path("nullable").asBoolean() && out.has("type")) {
            ArrayNode types = NODES.arrayNode().add(out.get("type").asText()).add("null");
            out.set("type", types);
        }
        if (out.has("properties") && !out.has("additionalProperties")
                && !schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
            out.put("additionalProperties", false);
        }
        return out;
    }

    public static List<String> kindsIn(CrdSchemas schemas) {
        return schemas.schemas.keySet().stream().sorted().toList();
    }
}
