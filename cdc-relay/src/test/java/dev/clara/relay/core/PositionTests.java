package dev.clara.relay.core;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PositionTests {

	@Test
	void ordersByTransactionThenChange() {
		// a transaction that began earlier (lower change LSN) but committed later comes later
		Position earlierCommit = new Position(Lsn.parse("0/100"), Lsn.parse("0/F0"));
		Position laterCommit = new Position(Lsn.parse("0/200"), Lsn.parse("0/50"));
		assertThat(laterCommit.isAfter(earlierCommit)).isTrue();
		assertThat(new Position(5, 7).isAfter(new Position(5, 6))).isTrue();
		assertThat(new Position(5, 7).isAfter(new Position(5, 7))).isFalse();
	}

	@Test
	void lsnTextRoundTrips() {
		assertThat(Lsn.format(Lsn.parse("16/B374D848"))).isEqualTo("16/B374D848");
		assertThat(Lsn.parse("0/0")).isZero();
	}

	@Test
	void qaEventIdsAreDeterministicPerChange() {
		UUID pair = UUID.randomUUID();
		assertThat(QaPairEvents.eventId(42, "public.qa_pairs", pair, "u"))
			.isEqualTo(QaPairEvents.eventId(42, "public.qa_pairs", pair, "u"))
			.isNotEqualTo(QaPairEvents.eventId(43, "public.qa_pairs", pair, "u"))
			.isNotEqualTo(QaPairEvents.eventId(42, "public.qa_pairs", pair, "d"));
	}

	@Test
	void onlyContentColumnsMakeAnUpdateWorthPublishing() {
		Map<String, Object> before = new HashMap<>(Map.of("question", "q", "answer", "a", "category", "general",
				"is_active", true, "embedding_model", "m1"));
		Map<String, Object> embedded = new HashMap<>(before);
		embedded.put("embedding_model", "m2");
		assertThat(QaPairEvents.contentChanged(change(before, embedded))).isFalse();
		Map<String, Object> toasted = new HashMap<>(before);
		toasted.put("question", Change.UNAVAILABLE);
		assertThat(QaPairEvents.contentChanged(change(before, toasted))).isFalse();
		Map<String, Object> deactivated = new HashMap<>(before);
		deactivated.put("is_active", false);
		assertThat(QaPairEvents.contentChanged(change(before, deactivated))).isTrue();
	}

	private static Change change(Map<String, Object> before, Map<String, Object> after) {
		return new Change("public.qa_pairs", "u", before, after, new Position(1, 2), Instant.now());
	}

}
