package dev.clara.chat.owner;

import java.util.UUID;

import dev.clara.chat.ChatApiHttp.Reply;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class QaPairsIntegrationTests extends OwnerIntegrationTest {

	@Test
	void createReadUpdateSoftDeleteRestore() {
		Owner owner = owner();
		Reply created = post(owner.token(), "/api/owner/qa-pairs",
				json("question", "  Do you have an API?  ", "answer", "Yes, a REST API.", "category", "developers"));
		assertThat(created.status()).isEqualTo(201);
		JsonNode pair = created.json().get("qa_pair");
		String id = pair.get("id").asString();
		assertThat(pair.get("question").asString()).isEqualTo("Do you have an API?");
		assertThat(pair.get("source").asString()).isEqualTo("manual");
		assertThat(pair.get("is_active").asBoolean()).isTrue();
		assertThat(pair.get("embedded").asBoolean()).isFalse();
		assertThat(created.json().get("warnings")).isEmpty();

		assertThat(get(owner.token(), "/api/owner/qa-pairs/" + id).json().get("category").asString()).isEqualTo("developers");
		Reply updated = patch(owner.token(), "/api/owner/qa-pairs/" + id, json("answer", "Yes: REST and webhooks."));
		assertThat(updated.json().get("qa_pair").get("answer").asString()).isEqualTo("Yes: REST and webhooks.");
		assertThat(updated.json().get("qa_pair").get("question").asString()).isEqualTo("Do you have an API?");

		Reply deleted = delete(owner.token(), "/api/owner/qa-pairs/" + id);
		assertThat(deleted.json().get("is_active").asBoolean()).isFalse();
		assertThat(count("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws", owner.workspaceId())).as("soft").isEqualTo(1);
		assertThat(get(owner.token(), "/api/owner/qa-pairs?active=true").json().get("total").asInt()).isZero();
		assertThat(post(owner.token(), "/api/owner/qa-pairs/" + id + "/restore", null).json().get("is_active").asBoolean())
			.isTrue();

		assertThat(get(owner.token(), "/api/owner/qa-pairs/" + UUID.randomUUID()).status()).isEqualTo(404);
		assertThat(get(owner.token(), "/api/owner/qa-pairs/not-a-uuid").status()).isEqualTo(404);
	}

	@Test
	void listFiltersAndPages() {
		Owner owner = owner();
		for (int i = 1; i <= 7; i++) {
			post(owner.token(), "/api/owner/qa-pairs", json("question", "Pricing question " + i + "?", "answer",
					"Answer " + i, "category", i % 2 == 0 ? "pricing" : "general"));
		}
		post(owner.token(), "/api/owner/qa-pairs", json("question", "100% refund_policy?", "answer", "Yes"));
		JsonNode page = get(owner.token(), "/api/owner/qa-pairs?per_page=3&page=2").json();
		assertThat(page.get("total").asInt()).isEqualTo(8);
		assertThat(page.get("items")).hasSize(3);
		assertThat(page.get("page").asInt()).isEqualTo(2);
		assertThat(get(owner.token(), "/api/owner/qa-pairs?category=pricing").json().get("total").asInt()).isEqualTo(3);
		assertThat(get(owner.token(), "/api/owner/qa-pairs?q=question%205").json().get("total").asInt()).isEqualTo(1);
		assertThat(get(owner.token(), "/api/owner/qa-pairs?q=ANSWER%207").json().get("total").asInt()).isEqualTo(1);
		// LIKE wildcards in the text are taken literally
		assertThat(get(owner.token(), "/api/owner/qa-pairs?q=100%25").json().get("total").asInt()).isEqualTo(1);
		assertThat(get(owner.token(), "/api/owner/qa-pairs?q=_").json().get("total").asInt()).isEqualTo(1);
		assertThat(get(owner.token(), "/api/owner/qa-pairs?per_page=500").status()).isEqualTo(400);
		assertThat(get(owner.token(), "/api/owner/qa-pairs?page=0").status()).isEqualTo(400);
		assertThat(get(owner.token(), "/api/owner/qa-pairs?active=maybe").status()).isEqualTo(400);
		assertThat(get(owner.token(), "/api/owner/qa-pairs?page=99").json().get("items")).isEmpty();
	}

	@Test
	void badInputIsRefusedWithFieldErrorsAndWritesNothing() {
		Owner owner = owner();
		Reply reply = post(owner.token(), "/api/owner/qa-pairs",
				json("question", "", "answer", 5, "category", "x".repeat(51), "is_active", "yes", "source", "csv_import"));
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.json().get("field_errors").propertyNames()).containsExactlyInAnyOrder("question", "answer",
				"category", "is_active", "body");
		assertThat(post(owner.token(), "/api/owner/qa-pairs", json("question", "q".repeat(1001), "answer", "a")).status())
			.isEqualTo(400);
		assertThat(post(owner.token(), "/api/owner/qa-pairs", "").status()).isEqualTo(400);
		assertThat(count("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws", owner.workspaceId())).isZero();
	}

	@Test
	void aNearDuplicateGetsAWarning() {
		Owner owner = owner();
		UUID existing = this.workspaces.pair(owner.workspaceId(), "How much does the Pro plan cost?",
				"$49 a month.", "pricing");
		this.workspaces.pair(owner.workspaceId(), "Do you integrate with Slack?", "Yes.", "developers");

		Reply created = post(owner.token(), "/api/owner/qa-pairs",
				json("question", "How much does the Pro plan cost ?", "answer", "49 dollars per month."));
		assertThat(created.status()).isEqualTo(201);
		JsonNode warnings = created.json().get("warnings");
		assertThat(warnings).hasSize(1);
		assertThat(warnings.get(0).get("type").asString()).isEqualTo("near_duplicate");
		assertThat(warnings.get(0).get("qa_pair_id").asString()).isEqualTo(existing.toString());
		assertThat(warnings.get(0).get("similarity").asDouble()).isGreaterThan(0.92);

		Reply unrelated = post(owner.token(), "/api/owner/qa-pairs",
				json("question", "What are your support hours?", "answer", "9 to 5."));
		assertThat(unrelated.json().get("warnings")).isEmpty();

		// editing a pair into a near duplicate warns too, but never about itself
		String id = unrelated.json().get("qa_pair").get("id").asString();
		Reply edited = patch(owner.token(), "/api/owner/qa-pairs/" + id, json("question", "Do you integrate with Slack"));
		assertThat(edited.json().get("warnings")).hasSize(1);
		Reply self = patch(owner.token(), "/api/owner/qa-pairs/" + existing, json("question", "How much does the Pro plan cost?"));
		assertThat(self.json().get("warnings")).isEmpty();
	}

}
