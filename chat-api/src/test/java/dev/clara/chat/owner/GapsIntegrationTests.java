package dev.clara.chat.owner;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import java.io.IOException;
import java.io.InputStream;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.GapDetected;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class GapsIntegrationTests extends OwnerIntegrationTest {

	private static final Schema GAP_DETECTED = gapDetectedSchema();

	private static final EventCodec CODEC = new EventCodec();

	@Test
	void listShowsStatusGroupCountAndLastAsked() {
		Owner owner = owner();
		UUID representative = gap(owner, "Do you ship to Mars?");
		UUID member = gap(owner, "Can you deliver to Mars?");
		UUID other = gap(owner, "Is there a student discount?");
		this.jdbc.sql("UPDATE qa_gaps SET group_id = :g WHERE id IN (:a, :b)")
			.param("g", representative)
			.param("a", representative)
			.param("b", member)
			.update();
		this.jdbc.sql("UPDATE qa_gaps SET ask_count = 7, last_asked_at = now() - interval '1 day' WHERE id = :id")
			.param("id", other)
			.update();

		JsonNode open = get(owner.token(), "/api/owner/gaps").json();
		assertThat(open.get("total").asInt()).isEqualTo(3);
		JsonNode first = open.get("items").get(0);
		assertThat(first.has("ask_count")).isTrue();
		assertThat(first.has("last_asked_at")).isTrue();
		assertThat(open.get("items").get(2).get("id").asString()).as("last asked first").isEqualTo(other.toString());

		JsonNode byCount = get(owner.token(), "/api/owner/gaps?sort=ask_count").json();
		assertThat(byCount.get("items").get(0).get("id").asString()).isEqualTo(other.toString());
		assertThat(byCount.get("items").get(0).get("ask_count").asInt()).isEqualTo(7);

		JsonNode group = get(owner.token(), "/api/owner/gaps?group_id=" + representative).json();
		assertThat(group.get("total").asInt()).isEqualTo(2);
		assertThat(group.get("items").get(0).get("group_size").asInt()).isEqualTo(2);

		assertThat(get(owner.token(), "/api/owner/gaps?status=bogus").status()).isEqualTo(400);
		assertThat(get(owner.token(), "/api/owner/gaps?status=resolved").json().get("total").asInt()).isZero();
		assertThat(get(owner.token(), "/api/owner/gaps/" + member).json().get("group_id").asString())
			.isEqualTo(representative.toString());
	}

	@Test
	void aFeedbackGapShowsItsKindTheAnswerGivenAndTheVisitorsComment() {
		Owner owner = owner();
		UUID unanswered = gap(owner, "Do you ship to Mars?");
		UUID feedback = gap(owner, "How much is the Pro plan?");
		this.jdbc.sql("""
				UPDATE qa_gaps SET kind = 'feedback', ai_answer = 'It is $29 a month.',
				       feedback_comment = 'That is last year''s price.', last_asked_at = now() + interval '1 minute'
				WHERE id = :id""").param("id", feedback).update();

		JsonNode items = get(owner.token(), "/api/owner/gaps").json().get("items");
		assertThat(items.get(0).get("id").asString()).isEqualTo(feedback.toString());
		assertThat(items.get(0).get("kind").asString()).isEqualTo("feedback");
		assertThat(items.get(0).get("ai_answer").asString()).isEqualTo("It is $29 a month.");
		assertThat(items.get(0).get("feedback_comment").asString()).isEqualTo("That is last year's price.");
		assertThat(items.get(1).get("kind").asString()).isEqualTo("unanswered");
		assertThat(items.get(1).path("feedback_comment").isMissingNode() || items.get(1).get("feedback_comment").isNull())
			.isTrue();
		JsonNode one = get(owner.token(), "/api/owner/gaps/" + feedback).json();
		assertThat(one.get("kind").asString()).isEqualTo("feedback");
		assertThat(one.get("feedback_comment").asString()).isEqualTo("That is last year's price.");
		assertThat(get(owner.token(), "/api/owner/gaps/" + unanswered).json().get("kind").asString())
			.isEqualTo("unanswered");
	}

	@Test
	void resolvingCreatesThePairAndMarksTheGapInOneTransaction() {
		Owner owner = owner();
		UUID gap = gap(owner, "Do you ship to Mars?");
		Reply resolved = post(owner.token(), "/api/owner/gaps/" + gap + "/resolve",
				json("answer", "Not yet: Earth only.", "category", "shipping"));
		assertThat(resolved.status()).isEqualTo(201);
		UUID pair = UUID.fromString(resolved.json().get("qa_pair_id").asString());
		assertThat(resolved.json().get("gap").get("status").asString()).isEqualTo("resolved");
		assertThat(resolved.json().get("gap").get("resolved_qa_id").asString()).isEqualTo(pair.toString());
		assertThat(resolved.json().get("gap").get("resolved_at").isNull()).isFalse();
		String stored = this.jdbc.sql("SELECT question || '|' || answer || '|' || category || '|' || is_active FROM qa_pairs WHERE id = :id")
			.param("id", pair)
			.query(String.class)
			.single();
		assertThat(stored).isEqualTo("Do you ship to Mars?|Not yet: Earth only.|shipping|true");
		assertThat(events(owner)).singleElement().satisfies(event -> {
			assertThat(event.workspaceId()).isEqualTo(owner.workspaceId());
			assertThat(event.payload().gapId()).isEqualTo(gap);
			assertThat(event.payload().status()).isEqualTo("resolved");
			assertThat(event.payload().resolvedQaId()).isEqualTo(pair);
			assertThat(event.payload().resolvedAutomatically()).isFalse();
		});

		// resolved already: 409 and no second pair
		Reply again = post(owner.token(), "/api/owner/gaps/" + gap + "/resolve", json("answer", "Again"));
		assertThat(again.status()).isEqualTo(409);
		assertThat(count("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws", owner.workspaceId())).isEqualTo(1);
		assertThat(events(owner)).hasSize(1);

		// invalid input: nothing written
		UUID other = gap(owner, "Is there a student discount?");
		assertThat(post(owner.token(), "/api/owner/gaps/" + other + "/resolve", json("answer", "  ")).status())
			.isEqualTo(400);
		assertThat(count("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws", owner.workspaceId())).isEqualTo(1);
	}

	@Test
	void aFailureAfterThePairIsWrittenLeavesNeitherThePairNorTheStatus() {
		Owner owner = owner();
		UUID gap = gap(owner, "Will this resolution fail?");
		String function = "test_fail_resolve_" + gap.toString().replace("-", "");
		this.jdbc.sql("CREATE FUNCTION public." + function + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
				+ "IF NEW.id = '" + gap + "' AND NEW.status = 'resolved' THEN RAISE EXCEPTION 'injected failure'; END IF; "
				+ "RETURN NEW; END $$").update();
		this.jdbc.sql("CREATE TRIGGER " + function + " BEFORE UPDATE ON public.qa_gaps FOR EACH ROW EXECUTE FUNCTION public."
				+ function + "()").update();
		try {
			Reply reply = post(owner.token(), "/api/owner/gaps/" + gap + "/resolve", json("answer", "It will."));
			assertThat(reply.status()).isEqualTo(500);
			assertThat(reply.body()).doesNotContain("injected failure");
		}
		finally {
			this.jdbc.sql("DROP TRIGGER " + function + " ON public.qa_gaps").update();
			this.jdbc.sql("DROP FUNCTION public." + function + "()").update();
		}
		assertThat(count("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws", owner.workspaceId())).isZero();
		assertThat(get(owner.token(), "/api/owner/gaps/" + gap).json().get("status").asString()).isEqualTo("open");
		assertThat(events(owner)).as("no event of a change that did not happen").isEmpty();
	}

	@Test
	void concurrentResolutionsMakeOnePair() throws Exception {
		Owner owner = owner();
		UUID gap = gap(owner, "Two tabs, one gap?");
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<Integer>> results = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				int n = i;
				Callable<Integer> resolve = () -> post(owner.token(), "/api/owner/gaps/" + gap + "/resolve",
						json("answer", "Answer " + n)).status();
				results.add(pool.submit(resolve));
			}
			List<Integer> statuses = new ArrayList<>();
			for (Future<Integer> result : results) {
				statuses.add(result.get());
			}
			assertThat(statuses).containsOnlyOnce(201).containsOnly(201, 409);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(count("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws", owner.workspaceId())).isEqualTo(1);
		assertThat(events(owner)).hasSize(1);
	}

	@Test
	void resolvingAGroupResolvesItsOpenMembersWithTheSamePair() {
		Owner owner = owner();
		UUID representative = gap(owner, "Do you ship to Mars?");
		UUID member = gap(owner, "Mars delivery possible?");
		this.jdbc.sql("UPDATE qa_gaps SET group_id = :g WHERE id IN (:a, :b)")
			.param("g", representative).param("a", representative).param("b", member).update();
		Reply resolved = post(owner.token(), "/api/owner/gaps/" + representative + "/resolve",
				json("answer", "Earth only.", "resolve_group", true));
		assertThat(resolved.json().get("also_resolved").get(0).asString()).isEqualTo(member.toString());
		assertThat(get(owner.token(), "/api/owner/gaps/" + member).json().get("resolved_qa_id").asString())
			.isEqualTo(resolved.json().get("qa_pair_id").asString());
		UUID pair = UUID.fromString(resolved.json().get("qa_pair_id").asString());
		assertThat(events(owner)).extracting(event -> event.payload().gapId())
			.containsExactlyInAnyOrder(representative, member);
		assertThat(events(owner)).allSatisfy(event -> {
			assertThat(event.payload().status()).isEqualTo("resolved");
			assertThat(event.payload().resolvedQaId()).isEqualTo(pair);
			assertThat(event.payload().groupId()).isEqualTo(representative);
		});
	}

	@Test
	void dismissAndReopen() {
		Owner owner = owner();
		UUID gap = gap(owner, "What is the meaning of life?");
		Reply dismissed = post(owner.token(), "/api/owner/gaps/" + gap + "/dismiss", null);
		assertThat(dismissed.status()).isEqualTo(200);
		assertThat(dismissed.json().get("status").asString()).isEqualTo("dismissed");
		assertThat(post(owner.token(), "/api/owner/gaps/" + gap + "/dismiss", null).status()).isEqualTo(409);

		// a new open gap with the same question arrived meanwhile: reopening would double it
		UUID again = gap(owner, "WHAT is the meaning of life?");
		assertThat(post(owner.token(), "/api/owner/gaps/" + gap + "/reopen", null).status()).isEqualTo(409);
		this.jdbc.sql("DELETE FROM qa_gaps WHERE id = :id").param("id", again).update();

		Reply reopened = post(owner.token(), "/api/owner/gaps/" + gap + "/reopen", null);
		assertThat(reopened.status()).isEqualTo(200);
		assertThat(reopened.json().get("status").asString()).isEqualTo("open");
		assertThat(reopened.json().get("resolved_at").isNull()).isTrue();
		assertThat(post(owner.token(), "/api/owner/gaps/" + gap + "/reopen", null).status()).isEqualTo(409);

		// one event per change that happened, none for the refused ones
		assertThat(events(owner)).extracting(event -> event.payload().status())
			.containsExactly("dismissed", "open");
		assertThat(events(owner)).allSatisfy(event -> assertThat(event.payload().gapId()).isEqualTo(gap));
	}

	/** The workspace's GapDetected outbox rows, oldest first, each validated against its JSON Schema. */
	private List<EventEnvelope<GapDetected>> events(Owner owner) {
		return this.jdbc.sql("""
				SELECT aggregate_type, aggregate_id, event_type, event_version, payload::text AS payload
				FROM outbox_events WHERE workspace_id = :ws AND event_type = 'GapDetected'
				ORDER BY occurred_at, created_at
				""").param("ws", owner.workspaceId()).query((row, i) -> {
			String payload = row.getString("payload");
			assertThat(GAP_DETECTED.validate(payload, InputFormat.JSON)).as(payload).isEmpty();
			EventEnvelope<GapDetected> event = CODEC.fromJson(payload, GapDetected.class);
			assertThat(row.getString("aggregate_type")).isEqualTo("qa_gap");
			assertThat(row.getString("aggregate_id")).isEqualTo(event.payload().gapId().toString());
			assertThat(row.getInt("event_version")).isEqualTo(event.eventVersion());
			return event;
		}).list();
	}

	private static Schema gapDetectedSchema() {
		try (InputStream in = GapsIntegrationTests.class.getClassLoader()
			.getResourceAsStream("events/gap-detected.v1.schema.json")) {
			return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
