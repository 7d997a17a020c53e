package dev.clara.chat.web;

import java.util.Set;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The text rule on its own: which characters it refuses and how a JSON document is walked. */
class TextsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void ordinaryTextTabsAndLineEndsFollowTheRule() {
		assertThat(Texts.flaw("")).isNull();
		assertThat(Texts.flaw("Hello, world!\tTab\nLF\r\nCRLF")).isNull();
		assertThat(Texts.flaw("Grüße, 你好, emoji \uD83D\uDE00, U+FFFD \uFFFD, NBSP \u00A0, ZWJ \u200D")).isNull();
	}

	@Test
	void everyC0ControlButTabLineFeedAndCarriageReturnIsRefused() {
		for (char c = 0; c < 0x20; c++) {
			String flaw = Texts.flaw("a" + c + "b");
			if (c == '\t' || c == '\n' || c == '\r') {
				assertThat(flaw).as("U+%04X", (int) c).isNull();
			}
			else {
				assertThat(flaw).as("U+%04X", (int) c).isEqualTo(Texts.CONTROL);
			}
		}
	}

	@Test
	void deleteAndC1ControlsAreRefused() {
		for (char c = 0x7f; c <= 0x9f; c++) {
			assertThat(Texts.flaw(String.valueOf(c))).as("U+%04X", (int) c).isEqualTo(Texts.CONTROL);
		}
		assertThat(Texts.flaw("\u00A0")).isNull();
		assertThat(Texts.flaw("~")).isNull();
	}

	@Test
	void unpairedSurrogatesAreRefused() {
		assertThat(Texts.flaw("\uD800")).isEqualTo(Texts.SURROGATE);
		assertThat(Texts.flaw("a\uDC00")).isEqualTo(Texts.SURROGATE);
		assertThat(Texts.flaw("\uDE00\uD83D")).as("reversed pair").isEqualTo(Texts.SURROGATE);
		assertThat(Texts.flaw("\uD83D\uD83D\uDE00")).as("a high one before a pair").isEqualTo(Texts.SURROGATE);
		assertThat(Texts.flaw("x\uD83D")).as("high at the end").isEqualTo(Texts.SURROGATE);
		assertThat(Texts.flaw("\uD83D\uDE00\uD83D\uDE00")).isNull();
	}

	@Test
	void scrubReplacesOnlyWhatTheRuleRefuses() {
		assertThat(Texts.scrub("ok\ttext \uD83D\uDE00", "?")).isEqualTo("ok\ttext \uD83D\uDE00");
		assertThat(Texts.scrub("a\u0000b\uD800c\u009bd", "?")).isEqualTo("a?b?c?d");
		assertThat(Texts.scrub("a\u0000b", "")).isEqualTo("ab");
	}

	@Test
	void aJsonWalkNamesTheFieldsNestedOnesAndArrayEntries() {
		JsonNode body = JSON.readTree("""
				{"content": "hi\\u0000", "visitor": {"name": "\\ud800", "email": "a@b.c"},
				 "list": ["fine", "bad\\u0001"], "ok": 1}
				""");
		assertThat(Texts.flaws(body, Set.of("content", "visitor", "name", "email", "list")))
			.containsExactly(java.util.Map.entry("content", Texts.CONTROL), java.util.Map.entry("visitor.name", Texts.SURROGATE),
					java.util.Map.entry("list[1]", Texts.CONTROL));
	}

	@Test
	void aNameTheCallerDoesNotKnowIsNeverRepeated() {
		JsonNode body = JSON.readTree("""
				{"sk-secret-name": "\\u0000", "settings": {"sk-other": ["\\u0002"]}}
				""");
		assertThat(Texts.flaws(body, Set.of("settings")))
			.containsExactly(java.util.Map.entry("body", Texts.CONTROL), java.util.Map.entry("settings", Texts.CONTROL));
	}

	@Test
	void propertyNamesAreCheckedToo() {
		JsonNode body = JSON.readTree("""
				{"a\\u0000": 1, "visitor": {"\\udc00": "x"}}
				""");
		assertThat(Texts.flaws(body, Set.of("visitor")))
			.containsExactly(java.util.Map.entry("body", Texts.NAME_CONTROL), java.util.Map.entry("visitor", Texts.NAME_SURROGATE));
	}

	@Test
	void aDeeplyNestedDocumentCostsNoStack() {
		String deep = "[".repeat(400) + "\"\\u0000\"" + "]".repeat(400);
		assertThat(Texts.flaws(JSON.readTree(deep), Set.of())).containsOnlyKeys("body");
		assertThat(Texts.flaws(JSON.readTree("{\"a\":[1,true,null,2.5,{\"b\":\"c\"}]}"), Set.of("a", "b"))).isEmpty();
	}

}
