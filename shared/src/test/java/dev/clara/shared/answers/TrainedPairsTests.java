package dev.clara.shared.answers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrainedPairsTests {

	@Test
	void survivesItsStoredFormAndTellsSeenPairsFromNewerOnes() {
		UUID a = UUID.randomUUID();
		UUID b = UUID.randomUUID();
		UUID c = UUID.randomUUID();
		Map<String, List<UUID>> groups = new LinkedHashMap<>();
		groups.put("hours", List.of(a, b));
		groups.put("refunds", List.of(c));

		TrainedPairs read = TrainedPairs.fromJson(new TrainedPairs(groups).toJson());

		assertThat(read.toJson()).isEqualTo(new TrainedPairs(groups).toJson()).startsWith("[{\"group_id\":\"hours\"");
		assertThat(read.saw(a, "hours")).isTrue();
		assertThat(read.saw(a, "refunds")).as("its answer changed since: newer than the model").isFalse();
		assertThat(read.saw(UUID.randomUUID(), "hours")).isFalse();
		assertThat(read.pairsOf("refunds")).containsExactly(c);
		assertThat(read.pairsOf("unknown")).isEmpty();
	}

}
