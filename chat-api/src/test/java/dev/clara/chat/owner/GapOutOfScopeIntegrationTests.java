package dev.clara.chat.owner;

import java.util.UUID;

import dev.clara.chat.ChatApiHttp.Reply;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Dismissed gaps taught to the answer model as out-of-scope examples, and taken back. */
class GapOutOfScopeIntegrationTests extends OwnerIntegrationTest {

	@Test
	void aDismissedGapIsTaughtAndUntaughtAndEachChangeAsksForTraining() {
		Owner owner = owner();
		UUID gap = gap(owner, "What is the meaning of life?");
		assertThat(get(owner.token(), "/api/owner/gaps/" + gap).json().get("teach_out_of_scope").asBoolean()).isFalse();

		// an open gap cannot be taught: the model learns from decisions the owner made
		Reply open = put(owner.token(), path(gap), json("teach", true));
		assertThat(open.status()).isEqualTo(409);
		assertThat(open.header("Content-Type")).startsWith("application/problem+json");
		assertThat(trainingRequested(owner)).isFalse();

		post(owner.token(), "/api/owner/gaps/" + gap + "/dismiss", null);
		Reply taught = put(owner.token(), path(gap), json("teach", true));
		assertThat(taught.status()).isEqualTo(200);
		assertThat(taught.json().get("teach_out_of_scope").asBoolean()).isTrue();
		assertThat(taught.json().get("status").asString()).isEqualTo("dismissed");
		assertThat(trainingRequested(owner)).as("teaching asks for training").isTrue();
		JsonNode listed = get(owner.token(), "/api/owner/gaps?status=dismissed").json().get("items").get(0);
		assertThat(listed.get("teach_out_of_scope").asBoolean()).isTrue();

		// setting what is set changes nothing, and asks for nothing
		forgetTrainingRequest(owner);
		assertThat(put(owner.token(), path(gap), json("teach", true)).json().get("teach_out_of_scope").asBoolean()).isTrue();
		assertThat(trainingRequested(owner)).isFalse();

		Reply untaught = put(owner.token(), path(gap), json("teach", false));
		assertThat(untaught.status()).isEqualTo(200);
		assertThat(untaught.json().get("teach_out_of_scope").asBoolean()).isFalse();
		assertThat(untaught.json().get("status").asString()).isEqualTo("dismissed");
		assertThat(trainingRequested(owner)).as("taking it back asks for training").isTrue();
	}

	@Test
	void reopeningATaughtGapUnteachesItInTheSameUpdate() {
		Owner owner = owner();
		UUID gap = gap(owner, "Can I pay in seashells?");
		post(owner.token(), "/api/owner/gaps/" + gap + "/dismiss", null);
		put(owner.token(), path(gap), json("teach", true));
		forgetTrainingRequest(owner);

		Reply reopened = post(owner.token(), "/api/owner/gaps/" + gap + "/reopen", null);
		assertThat(reopened.status()).isEqualTo(200);
		assertThat(reopened.json().get("status").asString()).isEqualTo("open");
		assertThat(reopened.json().get("teach_out_of_scope").asBoolean()).isFalse();
		assertThat(trainingRequested(owner)).as("the example left the model's data").isTrue();

		// resolved gaps cannot be taught either
		post(owner.token(), "/api/owner/gaps/" + gap + "/resolve", json("answer", "No, only money."));
		assertThat(put(owner.token(), path(gap), json("teach", true)).status()).isEqualTo(409);
		// untaught stays untaught, whatever the status
		assertThat(put(owner.token(), path(gap), json("teach", false)).status()).isEqualTo(200);
	}

	@Test
	void badRequestsAreProblems() {
		Owner owner = owner();
		UUID gap = gap(owner, "Is there a student discount?");
		post(owner.token(), "/api/owner/gaps/" + gap + "/dismiss", null);
		for (String body : new String[] { "{}", json("teach", "yes"), json("teach", true, "status", "open"), "",
				"not json" }) {
			Reply reply = put(owner.token(), path(gap), body);
			assertThat(reply.status()).as(body).isEqualTo(400);
			assertThat(reply.header("Content-Type")).as(body).startsWith("application/problem+json");
		}
		assertThat(put(owner.token(), path(UUID.randomUUID()), json("teach", true)).status()).isEqualTo(404);
		assertThat(put(owner.token(), "/api/owner/gaps/not-a-uuid/out-of-scope", json("teach", true)).status())
			.isEqualTo(404);
		assertThat(get(owner.token(), "/api/owner/gaps/" + gap).json().get("teach_out_of_scope").asBoolean()).isFalse();
	}

	private static String path(UUID gap) {
		return "/api/owner/gaps/" + gap + "/out-of-scope";
	}

}
