package dev.clara.chat.web;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public chat API's OpenAPI document is kept in step with the code: it names every public
 * endpoint of chat-api's controllers and only those, and what the endpoints really answer is valid
 * against the schemas it publishes.
 */
class PublicOpenApiIntegrationTests extends ChatApiIntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Test
	void theDocumentNamesEveryPublicEndpointAndOnlyThose() {
		JsonNode document = document();
		assertThat(document.get("openapi").asString()).startsWith("3.1");
		TreeSet<String> implemented = new TreeSet<>();
		for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : this.mappings.getHandlerMethods().entrySet()) {
			if (!mapping.getValue().getBeanType().getPackageName().startsWith("dev.clara.chat")) {
				continue;
			}
			for (String pattern : mapping.getKey().getPatternValues()) {
				// the owner and operator endpoints are in the owner API's document; the dashboard's own
				// cookie endpoints (/app/, OWNER_API.md) are no API for scripts; /actuator/health is the
				// actuator's answer for probes (ServerPortHealth), as it was before it moved to the management port
				if (pattern.startsWith("/api/owner/") || pattern.startsWith("/api/admin/") || pattern.startsWith("/app/")
						|| pattern.startsWith("/actuator/")) {
					continue;
				}
				for (RequestMethod method : mapping.getKey().getMethodsCondition().getMethods()) {
					implemented.add(method.name().toLowerCase() + " " + pattern.replace("{*path}", "{path}"));
				}
			}
		}
		TreeSet<String> documented = new TreeSet<>();
		JsonNode paths = document.get("paths");
		for (String path : paths.propertyNames()) {
			for (String method : paths.get(path).propertyNames()) {
				documented.add(method + " " + path);
			}
		}
		assertThat(implemented).contains("post /api/chat", "get /api/chat/messages");
		assertThat(documented).isEqualTo(implemented);
	}

	@Test
	void realRepliesAreValidAgainstThePublishedSchemas() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		String token = ChatApiHttp.token();
		Reply chat = this.http.chat(workspace, token, "How much does the Pro plan cost?");
		assertThat(chat.status()).isEqualTo(200);
		// an answer, so a citation is checked against its schema too
		assertThat(chat.json().get("message").get("citations")).hasSize(1);
		assertValid("ChatReply", chat.body());
		Reply noMatch = this.http.chat(workspace, token, "Zebra migration patterns in the Serengeti?");
		assertValid("ChatReply", noMatch.body());

		Reply messages = this.http.get("/api/chat/messages?workspace_id=" + workspace, token);
		assertThat(messages.status()).isEqualTo(200);
		assertValid("Messages", messages.body());

		Reply settings = this.http.get("/api/widget/" + workspace + "/settings", null);
		assertThat(settings.status()).isEqualTo(200);
		assertValid("WidgetSettings", settings.body());

		Reply invalid = this.http.post("/api/chat", "{}");
		assertThat(invalid.status()).isEqualTo(400);
		assertValid("Problem", invalid.body());
		// and the check can fail: a reply is not a problem's shape, nor settings a reply's
		assertThat(schema("ChatReply").validate(settings.body(), InputFormat.JSON)).isNotEmpty();
	}

	private void assertValid(String component, String body) {
		assertThat(schema(component).validate(body, InputFormat.JSON)).as(component + ": " + body).isEmpty();
	}

	/** The document with a root reference to one component: JSON Schema 2020-12 resolves its refs in place. */
	private Schema schema(String component) {
		ObjectNode root = (ObjectNode) document().deepCopy();
		root.put("$ref", "#/components/schemas/" + component);
		byte[] bytes = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
		return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
			.getSchema(new ByteArrayInputStream(bytes));
	}

	private JsonNode document() {
		Reply reply = this.http.get("/api/openapi.json", null);
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.header("Content-Type")).startsWith("application/json");
		return reply.json();
	}

}
