package kafkascale.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders a kustomization the way {@code kubectl kustomize} (kustomize v5) does, for the subset
 * the project's manifests use: resources (files and directories), components, namespace, labels,
 * images, configMapGenerator and secretGenerator (literals, files, envs, hash suffixes and the
 * references to them), and patches (strategic merge on Kubernetes kinds, JSON 6902 with a target).
 * Anything else in a kustomization is refused, so nothing is silently left out. ManifestTest
 * compares its output with kubectl's where kubectl is installed.
 */
public final class Kustomize {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "namespace", "labels", "resources",
            "components", "images", "secretGenerator", "configMapGenerator", "generatorOptions", "patches");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass",
            "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService");
    /** Strategic-merge keys of the lists in a pod template the patches touch (Kubernetes' patchMergeKey). */
    private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name",
            "env", "name", "volumes", "name", "volumeMounts", "mountPath", "imagePullSecrets", "name");

    /** One rendered resource and, for generated ones, whether its name gets a content hash. */
    private static final class Res {
        final ObjectNode node;
        final boolean hashSuffix;

        Res(ObjectNode node, boolean hashSuffix) {
            this.node = node;
            this.hashSuffix = hashSuffix;
        }
    }

    private Kustomize() {
    }

    /** Every resource {@code kubectl kustomize dir} prints, in no particular order. */
    public static List<ObjectNode> build(Path dir) throws IOException {
        List<Res> resources = new ArrayList<>();
        accumulate(dir, resources, "Kustomization");
        Map<String, String> renamed = new HashMap<>();
        for (Res r : resources) {
            if (r.hashSuffix) {
                String old = name(r.node);
                String renamedTo = old + "-" + hash(r.node);
                ((ObjectNode) r.node.get("metadata")).put("name", renamedTo);
                renamed.put(key(r.node.get("kind").asText(), namespace(r.node), old), renamedTo);
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        for (Res r : resources) {
            fixReferences(r.node, renamed);
            out.add(r.node);
        }
        return out;
    }

    private static void accumulate(Path dir, List<Res> acc, String expectedKind) throws IOException {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(dir + " has no kustomization.yaml");
        }
        JsonNode k = YAML.readTree(file.toFile());
        for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(file + ": field " + field + " is not supported by this renderer");
            }
        }
        if (!expectedKind.equals(k.path("kind").asText("Kustomization"))) {
            throw new IllegalArgumentException(file + " must be a " + expectedKind);
        }
        for (JsonNode entry : k.path("resources")) {
            Path path = dir.resolve(entry.asText()).normalize();
            if (Files.isDirectory(path)) {
                List<Res> sub = new ArrayList<>();
                accumulate(path, sub, "Kustomization");
                acc.addAll(sub);
            } else {
                readDocuments(path).forEach(d -> acc.add(new Res(d, false)));
            }
        }
        for (JsonNode entry : k.path("components")) {
            accumulate(dir.resolve(entry.asText()).normalize(), acc, "Component");
        }
        JsonNode options = k.path("generatorOptions");
        for (JsonNode g : k.path("configMapGenerator")) {
            acc.add(generate(dir, g, options, "ConfigMap"));
        }
        for (JsonNode g : k.path("secretGenerator")) {
            acc.add(generate(dir, g, options, "Secret"));
        }
        for (JsonNode p : k.path("patches")) {
            patch(dir, p, acc);
        }
        if (k.has("namespace")) {
            String ns = k.get("namespace").asText();
            for (Res r : acc) {
                setNamespace(r.node, ns);
            }
        }
        for (JsonNode l : k.path("labels")) {
            if (l.path("includeSelectors").asBoolean() || l.path("includeTemplates").asBoolean()) {
                throw new IllegalArgumentException(file + ": labels with includeSelectors/includeTemplates are not supported");
            }
            for (Res r : acc) {
                ObjectNode labels = ((ObjectNode) r.node.get("metadata")).withObjectProperty("labels");
                l.path("pairs").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            }
        }
        for (JsonNode image : k.path("images")) {
            for (Res r : acc) {
                setImages(r.node, image);
            }
        }
    }

    public static List<ObjectNode> readDocuments(Path path) throws IOException {
        List<ObjectNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(path.toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                if (d != null && !d.isEmpty()) {
                    docs.add((ObjectNode) d);
                }
            });
        }
        return docs;
    }

    // --- generators

    private static Res generate(Path dir, JsonNode g, JsonNode kustomizationOptions, String kind) throws IOException {
        if (!g.path("behavior").asText("create").equals("create")) {
            throw new IllegalArgumentException("generator behavior " + g.get("behavior") + " is not supported");
        }
        Map<String, String> data = new TreeMap<>();
        for (JsonNode literal : g.path("literals")) {
            String[] kv = literal.asText().split("=", 2);
            data.put(kv[0], kv[1]);
        }
        for (JsonNode f : g.path("files")) {
            String spec = f.asText();
            int eq = spec.indexOf('=');
            Path path = dir.resolve(eq < 0 ? spec : spec.substring(eq + 1)).normalize();
            if (!path.startsWith(dir.normalize())) {
                throw new IllegalArgumentException(path + " is outside " + dir + ": kustomize refuses it");
            }
            data.put(eq < 0 ? path.getFileName().toString() : spec.substring(0, eq), Files.readString(path));
        }
        for (JsonNode env : g.path("envs")) {
            for (String line : Files.readAllLines(dir.resolve(env.asText()))) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException(env + ": '" + line + "' would be read from the environment");
                }
                data.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        ObjectNode res = NODES.objectNode();
        res.put("apiVersion", "v1");
        res.put("kind", kind);
        ObjectNode metadata = res.putObject("metadata");
        metadata.put("name", g.get("name").asText());
        JsonNode options = g.has("options") ? g.get("options") : kustomizationOptions;
        if (options.has("labels")) {
            metadata.set("labels", options.get("labels").deepCopy());
        }
        if (options.has("annotations")) {
            metadata.set("annotations", options.get("annotations").deepCopy());
        }
        ObjectNode dataNode = res.putObject("data");
        data.forEach((key, value) -> dataNode.put(key, kind.equals("Secret")
                ? Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) : value));
        if (kind.equals("Secret")) {
            res.put("type", g.path("type").asText("Opaque"));
        }
        return new Res(res, !options.path("disableNameSuffixHash").asBoolean());
    }

    /**
     * kustomize's content hash of a generated ConfigMap or Secret (api/hasher): Go's JSON of kind,
     * name, data (and type), SHA-256, ten hex digits with 0,1,3,a,e replaced. kustomize v5 looks the
     * name up under the path "metadata/name" as one field, finds nothing and hashes an empty name;
     * ManifestTest compares the result with kubectl's.
     */
    static String hash(ObjectNode res) {
        Map<String, Object> m = new TreeMap<>();
        m.put("kind", res.get("kind").asText());
        m.put("name", "");
        Map<String, Object> data = new TreeMap<>();
        res.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
        m.put("data", data.isEmpty() && !res.has("data") ? "" : data);
        if (res.get("kind").asText().equals("Secret")) {
            m.put("type", res.path("type").asText(""));
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(goJson(m).getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                hex.append(String.format("%02x", digest[i]));
            }
            return hex.toString().replace('0', 'g').replace('1', 'h').replace('3', 'k').replace('a', 'm').replace('e', 't');
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Go's encoding/json of nested sorted maps and strings (it escapes <, > and & too). */
    @SuppressWarnings("unchecked")
    private static String goJson(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(goJson(e.getKey())).append(':').append(goJson(e.getValue()));
            }
            return out.append('}').toString();
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : ((String) value).toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    // --- patches

    private static void patch(Path dir, JsonNode p, List<Res> acc) throws IOException {
        String text = p.has("path") ? Files.readString(dir.resolve(p.get("path").asText())) : p.get("patch").asText();
        JsonNode body = YAML.readTree(text);
        JsonNode target = p.path("target");
        if (body.isArray()) {
            if (target.isMissingNode()) {
                throw new IllegalArgumentException("a JSON 6902 patch needs a target: " + p);
            }
            for (Res r : acc) {
                if (matches(r.node, target)) {
                    for (JsonNode op : body) {
                        applyJsonPatch(r.node, op);
                    }
                }
            }
            return;
        }
        if (target.isMissingNode()) {
            target = NODES.objectNode().put("kind", body.get("kind").asText()).put("name", name(body));
        }
        int applied = 0;
        for (Res r : acc) {
            if (matches(r.node, target)) {
                if (r.node.path("apiVersion").asText().contains(".") && !r.node.path("apiVersion").asText().contains(".k8s.io/")) {
                    throw new IllegalArgumentException("strategic merge of a custom resource is not supported: " + p);
                }
                ObjectNode patchBody = ((ObjectNode) body).deepCopy();
                patchBody.remove("apiVersion");
                patchBody.remove("kind");
                ((ObjectNode) patchBody.get("metadata")).remove("name");
                merge(r.node, patchBody);
                applied++;
            }
        }
        if (applied == 0 && !p.has("target")) {
            throw new IllegalArgumentException("no resource for patch " + p + " (kustomize fails here too)");
        }
    }

    private static boolean matches(ObjectNode res, JsonNode target) {
        String apiVersion = res.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return (!target.has("kind") || target.get("kind").asText().equals(res.path("kind").asText()))
                && (!target.has("name") || target.get("name").asText().equals(name(res)))
                && (!target.has("group") || target.get("group").asText().equals(group))
                && (!target.has("namespace") || target.get("namespace").asText().equals(namespace(res)));
    }

    /** Strategic merge: maps merge, null deletes, the pod template's keyed lists merge by key, other lists are replaced. */
    private static void merge(ObjectNode into, JsonNode patch) {
        patch.fields().forEachRemaining(e -> {
            String field = e.getKey();
            JsonNode value = e.getValue();
            JsonNode current = into.get(field);
            if (value.isNull()) {
                into.remove(field);
            } else if (value.isObject() && current != null && current.isObject()) {
                merge((ObjectNode) current, value);
            } else if (value.isArray() && current != null && current.isArray() && MERGE_KEYS.containsKey(field)) {
                into.set(field, mergeList((ArrayNode) current, (ArrayNode) value, MERGE_KEYS.get(field)));
            } else {
                into.set(field, value.deepCopy());
            }
        });
    }

    /** As kustomize's kyaml orders them: the patch's elements (merged into their namesakes) first, then the rest. */
    private static ArrayNode mergeList(ArrayNode current, ArrayNode patch, String key) {
        ArrayNode out = NODES.arrayNode();
        List<String> patched = new ArrayList<>();
        for (JsonNode p : patch) {
            String k = p.path(key).asText();
            patched.add(k);
            ObjectNode element = null;
            for (JsonNode c : current) {
                if (c.path(key).asText().equals(k)) {
                    element = ((ObjectNode) c).deepCopy();
                }
            }
            if (element == null) {
                out.add(p.deepCopy());
            } else {
                merge(element, p);
                out.add(element);
            }
        }
        for (JsonNode c : current) {
            if (!patched.contains(c.path(key).asText())) {
                out.add(c.deepCopy());
            }
        }
        return out;
    }

    private static void applyJsonPatch(ObjectNode doc, JsonNode op) {
        String[] path = op.get("path").asText().substring(1).split("/");
        JsonNode parent = doc;
        for (int i = 0; i < path.length - 1; i++) {
            String step = unescape(path[i]);
            parent = parent.isArray() ? parent.get(Integer.parseInt(step)) : parent.get(step);
            if (parent == null) {
                throw new IllegalArgumentException("JSON patch path " + op.get("path") + " does not exist in " + name(doc));
            }
        }
        String last = unescape(path[path.length - 1]);
        switch (op.get("op").asText()) {
            case "add", "replace" -> {
                if (parent instanceof ArrayNode array) {
                    if (last.equals("-")) {
                        array.add(op.get("value").deepCopy());
                    } else if (op.get("op").asText().equals("add")) {
                        array.insert(Integer.parseInt(last), op.get("value").deepCopy());
                    } else {
                        array.set(Integer.parseInt(last), op.get("value").deepCopy());
                    }
                } else {
                    if (op.get("op").asText().equals("replace") && !parent.has(last)) {
                        throw new IllegalArgumentException("JSON patch replaces missing " + op.get("path"));
                    }
                    ((ObjectNode) parent).set(last, op.get("value").deepCopy());
                }
            }
            case "remove" -> {
                JsonNode removed = parent instanceof ArrayNode array ? array.remove(Integer.parseInt(last)) : ((ObjectNode) parent).remove(last);
                if (removed == null) {
                    throw new IllegalArgumentException("JSON patch removes missing " + op.get("path") + " in " + name(doc));
                }
            }
            default -> throw new IllegalArgumentException("JSON patch op " + op.get("op") + " is not supported");
        }
    }

    private static String unescape(String step) {
        return step.replace("~1", "/").replace("~0", "~");
    }

    // --- transformers

    private static void setNamespace(ObjectNode res, String ns) {
        String kind = res.path("kind").asText();
        if (!CLUSTER_SCOPED.contains(kind)) {
            ((ObjectNode) res.get("metadata")).put("namespace", ns);
        }
        // kustomize's default (setRoleBindingSubjects: defaultOnly): only the service account "default" moves along
        if (kind.equals("RoleBinding") || kind.equals("ClusterRoleBinding")) {
            for (JsonNode subject : res.path("subjects")) {
                if (subject.path("kind").asText().equals("ServiceAccount") && subject.path("name").asText().equals("default")) {
                    ((ObjectNode) subject).put("namespace", ns);
                }
            }
        }
    }

    /** kustomize's image transformer: every containers[].image and initContainers[].image, at any depth. */
    private static void setImages(JsonNode node, JsonNode image) {
        if (node.isObject()) {
            for (String field : List.of("containers", "initContainers")) {
                for (JsonNode c : node.path(field)) {
                    if (c.has("image")) {
                        ((ObjectNode) c).put("image", newImage(c.get("image").asText(), image));
                    }
                }
            }
            node.elements().forEachRemaining(child -> setImages(child, image));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> setImages(child, image));
        }
    }

    private static String newImage(String current, JsonNode image) {
        int at = current.indexOf('@');
        String nameAndTag = at < 0 ? current : current.substring(0, at);
        int colon = nameAndTag.lastIndexOf(':');
        boolean hasTag = colon > nameAndTag.lastIndexOf('/');
        String name = hasTag ? nameAndTag.substring(0, colon) : nameAndTag;
        if (!name.equals(image.path("name").asText())) {
            return current;
        }
        String tag = image.has("newTag") ? ":" + image.get("newTag").asText() : hasTag ? nameAndTag.substring(colon) : "";
        String digest = image.has("digest") ? "@" + image.get("digest").asText() : at < 0 ? "" : current.substring(at);
        return image.path("newName").asText(name) + (image.has("digest") ? "" : tag) + digest;
    }

    /** References from pod specs to renamed (hash-suffixed) ConfigMaps and Secrets of the same namespace. */
    private static void fixReferences(ObjectNode res, Map<String, String> renamed) {
        if (renamed.isEmpty()) {
            return;
        }
        String ns = namespace(res);
        JsonNode podSpec = res.path("spec").path("template").path("spec");
        if (podSpec.isMissingNode()) {
            podSpec = res.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
        }
        if (podSpec.isMissingNode() && res.path("kind").asText().equals("Pod")) {
            podSpec = res.path("spec");
        }
        if (!podSpec.isObject()) {
            return;
        }
        for (String field : List.of("containers", "initContainers")) {
            for (JsonNode c : podSpec.path(field)) {
                for (JsonNode env : c.path("env")) {
                    rename(env.path("valueFrom").path("secretKeyRef"), "name", "Secret", ns, renamed);
                    rename(env.path("valueFrom").path("configMapKeyRef"), "name", "ConfigMap", ns, renamed);
                }
                for (JsonNode from : c.path("envFrom")) {
                    rename(from.path("secretRef"), "name", "Secret", ns, renamed);
                    rename(from.path("configMapRef"), "name", "ConfigMap", ns, renamed);
                }
            }
        }
        for (JsonNode volume : podSpec.path("volumes")) {
            rename(volume.path("secret"), "secretName", "Secret", ns, renamed);
            rename(volume.path("configMap"), "name", "ConfigMap", ns, renamed);
            for (JsonNode source : volume.path("projected").path("sources")) {
                rename(source.path("secret"), "name", "Secret", ns, renamed);
                rename(source.path("configMap"), "name", "ConfigMap", ns, renamed);
            }
        }
        for (JsonNode pullSecret : podSpec.path("imagePullSecrets")) {
            rename(pullSecret, "name", "Secret", ns, renamed);
        }
    }

    private static void rename(JsonNode ref, String field, String kind, String ns, Map<String, String> renamed) {
        if (ref.isObject() && ref.has(field)) {
            String to = renamed.get(key(kind, ns, ref.get(field).asText()));
            if (to != null) {
                ((ObjectNode) ref).put(field, to);
            }
        }
    }

    private static String key(String kind, String ns, String name) {
        return kind + "/" + ns + "/" + name;
    }

    public static String name(JsonNode res) {
        return res.path("metadata").path("name").asText();
    }

    public static String namespace(JsonNode res) {
        return res.path("metadata").path("namespace").asText("");
    }
}
