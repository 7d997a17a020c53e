package dev.clara.evaluation.documents;

import java.util.List;
import java.util.Locale;

import dev.clara.evaluation.documents.ArticleSplit.Part;
import dev.clara.evaluation.documents.DocumentMetrics.Point;

/**
 * The documents benchmark's report: the retrieval of every configuration (asked with the threshold
 * at 0), the passage threshold each would choose on the tuning articles and what it gives on the
 * reporting articles, the product as deployed, and the tuning curve of each configuration.
 */
final class DocumentReport {

	private final List<DocumentRun> runs;

	private final String command;

	private final String date;

	DocumentReport(List<DocumentRun> runs, String command, String date) {
		this.runs = runs;
		this.command = command;
		this.date = date;
	}

	String markdown() {
		StringBuilder md = new StringBuilder();
		md.append("# Answers from documents: SQuAD 2.0, ten articles\n\n");
		md.append("Generated ").append(this.date).append(" by `").append(this.command).append("`. Shares of questions; ")
			.append("*shown@1*: the gold answer is in the first citation's `passage` as the visitor reads it; ")
			.append("*@1* / *@5*: in the first / one of the first five cited chunks; *flagged*: `gap_detected`; ")
			.append("*right*: (answerable with the answer shown + unanswerable flagged) / all.\n\n");
		List<DocumentRun> sweeps = this.runs.stream().filter(r -> r.mode().equals(DocumentRun.SWEEP)).toList();
		if (!sweeps.isEmpty()) {
			md.append("## Retrieval (passage threshold 0: every question answered from the documents)\n\n");
			md.append("| model / chunk chars/overlap / strategy | chunks | ingest s | q/s | tune shown@1 | tune @1 | tune @5 | report shown@1 | report @1 | report @5 |\n");
			md.append("|---|---|---|---|---|---|---|---|---|---|\n");
			for (DocumentRun run : sweeps) {
				Point tune = DocumentMetrics.at(run.answers(), Part.TUNE, 0);
				Point report = DocumentMetrics.at(run.answers(), Part.REPORT, 0);
				md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %s | %s | %s | %s | %s | %s |%n", run.config(),
						run.chunks(), run.ingestSeconds(), run.questionsPerSecond(), f(tune.shownAt1()), f(tune.recallAt1()),
						f(tune.recallAt5()), f(report.shownAt1()), f(report.recallAt1()), f(report.recallAt5())));
			}
			md.append("\n## Passage threshold chosen on the tuning articles, applied to the reporting articles\n\n");
			md.append("Threshold chosen on the tuning articles by *right*: the most questions handled right, or by ")
				.append("*recall budget*: the most unanswerable questions flagged at a cost of at most one point of ")
				.append("answer recall@5 against no threshold.\n\n");
			md.append("| model / chunking / strategy | criterion | threshold | tune right | report shown@1 | report @5 | report answerable flagged | report unanswerable flagged | report right |\n");
			md.append("|---|---|---|---|---|---|---|---|---|\n");
			for (DocumentRun run : sweeps) {
				List<Point> curve = DocumentMetrics.curve(run.answers(), Part.TUNE);
				row(md, run, "right", DocumentMetrics.bestHandledRight(curve));
				row(md, run, "recall budget", DocumentMetrics.bestWithinRecallBudget(curve));
			}
		}
		List<DocumentRun> deployed = this.runs.stream().filter(r -> r.mode().equals(DocumentRun.DEPLOYED)).toList();
		if (!deployed.isEmpty()) {
			md.append("\n## As deployed (the model's passage threshold as migrated)\n\n");
			md.append("| model / chunking / strategy | threshold | articles | answerable | shown@1 | @1 | @5 | answerable flagged | unanswerable | unanswerable flagged | right |\n");
			md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
			for (DocumentRun run : deployed) {
				for (Part part : Part.values()) {
					Point p = DocumentMetrics.at(run.answers(), part, 0);
					md.append(String.format(Locale.ROOT, "| %s | %.3f | %s | %d | %s | %s | %s | %s | %d | %s | %s |%n", run.config(),
							run.deployedThreshold(), part.label(), p.answerable(), f(p.shownAt1()), f(p.recallAt1()),
							f(p.recallAt5()), f(p.answerableFlagged()), p.unanswerable(), f(p.unanswerableFlagged()),
							f(p.handledRight())));
				}
			}
		}
		for (DocumentRun run : sweeps) {
			md.append("\n### Tuning curve: ").append(run.config()).append("\n\n");
			md.append("| threshold | answerable flagged | unanswerable flagged | shown@1 | @5 | right | balanced |\n|---|---|---|---|---|---|---|\n");
			for (Point p : DocumentMetrics.curve(run.answers(), Part.TUNE)) {
				if (Math.round(p.threshold() * 1000) % 25 == 0 && p.threshold() >= 0.4 && p.threshold() <= 0.85) {
					md.append(String.format(Locale.ROOT, "| %.3f | %s | %s | %s | %s | %s | %s |%n", p.threshold(),
							f(p.answerableFlagged()), f(p.unanswerableFlagged()), f(p.shownAt1()), f(p.recallAt5()),
							f(p.handledRight()), f(p.balanced())));
				}
			}
		}
		return md.toString();
	}

	private static void row(StringBuilder md, DocumentRun run, String criterion, Point tune) {
		Point report = DocumentMetrics.at(run.answers(), Part.REPORT, tune.threshold());
		md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %s | %s | %s | %s | %s | %s |%n", run.config(), criterion,
				tune.threshold(), f(tune.handledRight()), f(report.shownAt1()),
				f(report.recallAt5()), f(report.answerableFlagged()), f(report.unanswerableFlagged()), f(report.handledRight())));
	}

	private static String f(double share) {
		return String.format(Locale.ROOT, "%.3f", share);
	}

}
