package dev.clara.chat.answer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Precision and recall of escalation detection on a labelled set of visitor messages (English
 * and six other languages, paraphrased, with look-alike negatives such as "API call" or "demo
 * video"). The figures are printed for the record; the bounds keep them from silently dropping.
 */
class EscalationDetectorTests {

	record Example(boolean escalation, String message) {
	}

	@Test
	void precisionAndRecallOnTheLabelledSet() throws IOException {
		List<Example> examples = load("/escalation-labelled.tsv");
		EscalationDetector detector = new EscalationDetector();
		int truePositives = 0;
		int falsePositives = 0;
		int falseNegatives = 0;
		List<String> mistakes = new ArrayList<>();
		for (Example example : examples) {
			boolean detected = detector.asksForEscalation(example.message());
			if (detected && example.escalation()) {
				truePositives++;
			}
			else if (detected) {
				falsePositives++;
				mistakes.add("false positive: " + example.message());
			}
			else if (example.escalation()) {
				falseNegatives++;
				mistakes.add("missed: " + example.message());
			}
		}
		double precision = truePositives / (double) (truePositives + falsePositives);
		double recall = truePositives / (double) (truePositives + falseNegatives);
		System.out.printf("escalation detection on %d labelled messages: precision %.3f, recall %.3f%n",
				examples.size(), precision, recall);
		mistakes.forEach(mistake -> System.out.println("  " + mistake));

		assertThat(examples).hasSizeGreaterThanOrEqualTo(100);
		assertThat(examples).filteredOn(Example::escalation).hasSizeGreaterThanOrEqualTo(50);
		assertThat(precision).isGreaterThanOrEqualTo(0.95);
		assertThat(recall).isGreaterThanOrEqualTo(0.9);
	}

	@Test
	void accentsAndCaseDoNotMatter() {
		EscalationDetector detector = new EscalationDetector();
		assertThat(detector.asksForEscalation("JE VEUX UN RENDEZ-VOUS")).isTrue();
		assertThat(detector.asksForEscalation("je veux un rendez vous")).isTrue();
		assertThat(detector.asksForEscalation("Können Sie mich zurückrufen? Rückruf bitte")).isTrue();
	}

	/**
	 * A second set, written blind by someone who had not seen the patterns or the first set, and
	 * never used to tune them: the honest estimate of how the detector does on new messages.
	 */
	@Test
	void precisionAndRecallOnTheHeldOutSet() throws IOException {
		List<Example> examples = load("/escalation-heldout.tsv");
		EscalationDetector detector = new EscalationDetector();
		int tp = 0;
		int fp = 0;
		int fn = 0;
		for (Example example : examples) {
			boolean detected = detector.asksForEscalation(example.message());
			if (detected && example.escalation()) {
				tp++;
			}
			else if (detected) {
				fp++;
				System.out.println("  held-out false positive: " + example.message());
			}
			else if (example.escalation()) {
				fn++;
				System.out.println("  held-out missed: " + example.message());
			}
		}
		double precision = tp / (double) (tp + fp);
		double recall = tp / (double) (tp + fn);
		System.out.printf("escalation detection on %d held-out messages: precision %.3f, recall %.3f%n",
				examples.size(), precision, recall);
		assertThat(examples).hasSizeGreaterThanOrEqualTo(100);
		// measured 0.925 / 0.617 when the set was added (patterns unchanged since): pattern matching
		// misses indirect requests ("who can I speak to about a partnership?"), typos and slang
		assertThat(precision).isGreaterThanOrEqualTo(0.9);
		assertThat(recall).isGreaterThanOrEqualTo(0.6);
	}

	private static List<Example> load(String resource) throws IOException {
		List<Example> examples = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(
				EscalationDetectorTests.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.isBlank() || line.startsWith("#")) {
					continue;
				}
				String[] parts = line.split("\t", 2);
				examples.add(new Example("1".equals(parts[0]), parts[1]));
			}
		}
		return examples;
	}

}
