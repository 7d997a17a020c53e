package dev.clara.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.clara.evaluation.KnowledgeBase.Size;
import dev.clara.evaluation.ValidationSplit.Half;
import dev.clara.evaluation.ValidationSplit.Question;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SplitAndKnowledgeBaseTests {

	static Clinc150 tiny() {
		List<Clinc150.Utterance> train = new ArrayList<>();
		List<Clinc150.Utterance> val = new ArrayList<>();
		for (String intent : List.of("balance", "transfer")) {
			for (int i = 0; i < 10; i++) {
				train.add(new Clinc150.Utterance(intent + " train " + i, intent));
			}
			for (int i = 0; i < 6; i++) {
				val.add(new Clinc150.Utterance(intent + " val " + i, intent));
			}
		}
		List<Clinc150.Utterance> oos = List.of(new Clinc150.Utterance("x", "oos"), new Clinc150.Utterance("y", "oos"));
		return new Clinc150(train, val, oos, List.of(), Map.of("balance", "banking", "transfer", "banking"));
	}

	@Test
	void theHalvesAreStratifiedByIntentFixedAndDisjoint() {
		List<Question> questions = ValidationSplit.of(tiny());

		assertThat(questions).hasSize(14);
		Map<String, Long> tunePerIntent = questions.stream()
			.filter(q -> q.half() == Half.TUNE)
			.collect(Collectors.groupingBy(Question::gold, Collectors.counting()));
		assertThat(tunePerIntent).containsEntry("balance", 3L).containsEntry("transfer", 3L).containsEntry("oos", 1L);
		assertThat(ValidationSplit.of(tiny())).isEqualTo(questions);
	}

	@Test
	void theSmallKnowledgeBaseHasAFewParaphrasesPerIntentAndEveryAnswerNamesItsIntent() {
		List<KnowledgeBase.Pair> small = KnowledgeBase.of(tiny(), Size.SMALL);
		List<KnowledgeBase.Pair> full = KnowledgeBase.of(tiny(), Size.FULL);

		assertThat(full).hasSize(20);
		assertThat(small).hasSize(2 * KnowledgeBase.SMALL_PER_INTENT);
		assertThat(KnowledgeBase.of(tiny(), Size.SMALL)).isEqualTo(small);
		assertThat(small).allSatisfy(pair -> {
			assertThat(KnowledgeBase.intentOf(pair.answer())).contains(pair.intent());
			assertThat(pair.category()).isEqualTo("banking");
		});
	}

	@Test
	void thinKnowledgeBasesAreNestedInTheSmallOne() {
		List<KnowledgeBase.Pair> small = KnowledgeBase.of(tiny(), Size.SMALL);

		for (int k = 1; k <= KnowledgeBase.SMALL_PER_INTENT; k++) {
			List<KnowledgeBase.Pair> thin = KnowledgeBase.perIntent(tiny(), k);
			assertThat(thin).hasSize(2 * k);
			assertThat(small).containsAll(thin);
		}
		assertThat(KnowledgeBase.perIntent(tiny(), KnowledgeBase.SMALL_PER_INTENT)).isEqualTo(small);
		assertThat(KnowledgeBase.perIntent(tiny(), Integer.MAX_VALUE)).isEqualTo(KnowledgeBase.of(tiny(), Size.FULL));
	}

	@Test
	void csvQuotesWhatNeedsQuoting() {
		assertThat(Csv.of(List.of(new KnowledgeBase.Pair("say \"hi\", please", "plain", "cat", "i"))))
			.isEqualTo("question,answer,category\r\n\"say \"\"hi\"\", please\",plain,cat\r\n");
	}

}
