package dev.clara.chat.owner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.clara.chat.ChatApiHttp.Reply;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/** The served OpenAPI document names every endpoint of the owner API's controllers, and only those. */
class OpenApiIntegrationTests extends OwnerIntegrationTest {

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Test
	void theDocumentIsPublicAndCoversEveryOwnerEndpoint() {
		Reply reply = get(null, "/api/owner/openapi.json");
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.header("Content-Type")).startsWith("application/json");
		JsonNode document = reply.json();
		assertThat(document.get("openapi").asString()).startsWith("3.1");
		JsonNode paths = document.get("paths");

		List<String> implemented = new ArrayList<>();
		for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : this.mappings.getHandlerMethods().entrySet()) {
			if (!mapping.getValue().getBeanType().getPackageName().startsWith("dev.clara.chat.owner")) {
				continue;
			}
			for (String pattern : mapping.getKey().getPatternValues()) {
				if (pattern.startsWith("/app/")) {
					continue; // the dashboard's own cookie endpoints (OWNER_API.md), not an API for scripts
				}
				String path = pattern.replace("{*path}", "{path}");
				for (RequestMethod method : mapping.getKey().getMethodsCondition().getMethods()) {
					implemented.add(method.name().toLowerCase() + " " + path);
				}
			}
		}
		List<String> documented = new ArrayList<>();
		for (String path : paths.propertyNames()) {
			for (String method : paths.get(path).propertyNames()) {
				if (!method.equals("parameters")) {
					documented.add(method + " " + path);
				}
			}
		}
		assertThat(implemented).hasSizeGreaterThan(35);
		assertThat(documented).containsExactlyInAnyOrderElementsOf(implemented);
		// every $ref resolves
		String text = reply.body();
		java.util.regex.Matcher refs = java.util.regex.Pattern.compile("#/components/(schemas|responses)/(\\w+)").matcher(text);
		while (refs.find()) {
			assertThat(document.get("components").get(refs.group(1)).has(refs.group(2))).as(refs.group()).isTrue();
		}
	}

}
