package dev.clara.chat.owner.transcripts;

import java.util.List;

import dev.clara.chat.owner.transcripts.TranscriptParser.Exchange;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TranscriptParserTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void textWithSpeakerLabelsBecomesExchangesWithMultiLineTurns() {
		TranscriptParser.Parsed parsed = TranscriptParser.parse(JSON, """
				Agent: Hello, how can I help?
				Customer: Hi! I was charged twice this month.
				Why did that happen?
				AGENT: Sorry about that. A failed payment is retried once;
				  both attempts can show as pending.
				The duplicate disappears within 3 days.
				customer: Thanks
				agent: You're welcome!
				User: Do you ship to Canada?
				Support: Yes, within 5 business days.
				""");

		assertThat(parsed.format()).isEqualTo("text");
		assertThat(parsed.exchanges()).containsExactly(
				new Exchange("Hi! I was charged twice this month. Why did that happen?",
						"Sorry about that. A failed payment is retried once;\nboth attempts can show as pending.\n"
								+ "The duplicate disappears within 3 days."),
				new Exchange("Do you ship to Canada?", "Yes, within 5 business days."));
	}

	@Test
	void labelsMayCarryTimeStampsAndNames() {
		TranscriptParser.Parsed parsed = TranscriptParser.parse(JSON, """
				[10:02] Visitor Jane Doe: Can I pay by invoice?
				[10:03] Rep (Sam): Yes, on the annual plan.
				10:05 PM - Client: How long is the trial?
				10:06 PM - Assistant: 14 days.
				""");

		assertThat(parsed.exchanges()).containsExactly(new Exchange("Can I pay by invoice?", "Yes, on the annual plan."),
				new Exchange("How long is the trial?", "14 days."));
	}

	@Test
	void consecutiveQuestionsJoinAndAnUnansweredLastQuestionIsDropped() {
		TranscriptParser.Parsed parsed = TranscriptParser.parse(JSON, """
				Customer: Hello there friend
				Customer: is the API rate limited?
				Agent: Yes, 100 requests per minute.
				Agent: Higher limits are on the Enterprise plan.
				Customer: And is there a sandbox?
				""");

		assertThat(parsed.exchanges()).containsExactly(new Exchange("Hello there friend is the API rate limited?",
				"Yes, 100 requests per minute.\nHigher limits are on the Enterprise plan."));
	}

	@Test
	void aJsonArrayOfConversationsWithRoleAndText() {
		TranscriptParser.Parsed parsed = TranscriptParser.parse(JSON, """
				[{"id": 1, "messages": [
				   {"role": "system", "text": "Chat started"},
				   {"role": "customer", "text": "Do you offer refunds?"},
				   {"role": "agent", "text": "Yes, within 30 days."}]},
				 {"messages": [
				   {"author": {"type": "user"}, "body": "Is there an Android app?"},
				   {"author": {"type": "admin"}, "body": "Yes, on Google Play."}]}]
				""");

		assertThat(parsed.format()).isEqualTo("json");
		assertThat(parsed.exchanges()).containsExactly(new Exchange("Do you offer refunds?", "Yes, within 30 days."),
				new Exchange("Is there an Android app?", "Yes, on Google Play."));
	}

	@Test
	void conversationsObjectOneConversationAndABareMessageArrayAreAccepted() {
		String messages = """
				[{"sender": "Visitor", "content": "Can I change my plan later?"},
				 {"sender": "Assistant", "content": "Yes, at any time."}]""";
		List<String> shapes = List.of("{\"conversations\": [{\"messages\": " + messages + "}]}",
				"{\"messages\": " + messages + "}", messages);
		for (String shape : shapes) {
			assertThat(TranscriptParser.parse(JSON, shape).exchanges()).as(shape)
				.containsExactly(new Exchange("Can I change my plan later?", "Yes, at any time."));
		}
	}

	@Test
	void otherJsonShapesAreRefusedWithTheShapeToSend() {
		for (String json : List.of("{\"data\": []}", "[1, 2]", "[{\"messages\": \"hello\"}]",
				"[{\"messages\": [{\"role\": \"customer\"}]}]", "[{\"title\": \"no messages\"}, {\"messages\": []}]")) {
			assertThatThrownBy(() -> TranscriptParser.parse(JSON, json)).as(json)
				.isInstanceOf(TranscriptParser.Unreadable.class);
		}
	}

	@Test
	void textWithoutLabelsIsRefused() {
		assertThatThrownBy(() -> TranscriptParser.parse(JSON, "Just some notes.\nNo speakers here."))
			.isInstanceOf(TranscriptParser.Unreadable.class)
			.hasMessageContaining("speaker labels");
	}

	@Test
	void textThatStartsLikeJsonIsReadAsText() {
		assertThat(TranscriptParser.parse(JSON, "[09:00] Customer: Where is my invoice?\n[09:01] Agent: Under Billing.")
			.exchanges()).containsExactly(new Exchange("Where is my invoice?", "Under Billing."));
	}

	@Test
	void courtesiesAreNotQuestions() {
		assertThat(TranscriptParser.isCourtesy("Thanks!")).isTrue();
		assertThat(TranscriptParser.isCourtesy("ok great")).isTrue();
		assertThat(TranscriptParser.isCourtesy("Refunds?")).isFalse();
		assertThat(TranscriptParser.isCourtesy("I need an invoice")).isFalse();
	}

}
