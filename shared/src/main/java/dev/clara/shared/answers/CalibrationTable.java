package dev.clara.shared.answers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One signal's calibrations by knowledge-base size: the same cosine or probability means more
 * the more phrasings each answer has, so Platt's (a, b) and the threshold were measured at several
 * phrasings per group and are interpolated linearly in ln(phrasings per group) between them,
 * clamped to the table's ends (docs/quality.md, "Calibration by size").
 */
public final class CalibrationTable {

	/** The calibration measured at {@code phrasingsPerGroup}. */
	public record Row(double phrasingsPerGroup, Calibration calibration) {

		public Row {
			if (!(phrasingsPerGroup >= 1)) {
				throw new IllegalArgumentException("phrasings per group start at 1");
			}
		}

	}

	private final List<Row> rows;

	public CalibrationTable(List<Row> rows) {
		if (rows.isEmpty()) {
			throw new IllegalArgumentException("a calibration table needs a row");
		}
		List<Row> sorted = new ArrayList<>(rows);
		sorted.sort(Comparator.comparingDouble(Row::phrasingsPerGroup));
		this.rows = List.copyOf(sorted);
	}

	/** The calibration of a knowledge base with {@code phrasingsPerGroup} phrasings per answer group on average. */
	public Calibration at(double phrasingsPerGroup) {
		double k = Math.max(1, phrasingsPerGroup);
		Row first = this.rows.get(0);
		Row last = this.rows.get(this.rows.size() - 1);
		if (k <= first.phrasingsPerGroup()) {
			return first.calibration();
		}
		if (k >= last.phrasingsPerGroup()) {
			return last.calibration();
		}
		for (int i = 1; i < this.rows.size(); i++) {
			Row upper = this.rows.get(i);
			if (k <= upper.phrasingsPerGroup()) {
				Row lower = this.rows.get(i - 1);
				double f = Math.log(k / lower.phrasingsPerGroup())
						/ Math.log(upper.phrasingsPerGroup() / lower.phrasingsPerGroup());
				Calibration a = lower.calibration();
				Calibration b = upper.calibration();
				return new Calibration(a.a() + f * (b.a() - a.a()), a.b() + f * (b.b() - a.b()),
						a.threshold() + f * (b.threshold() - a.threshold()), a.cosine() + f * (b.cosine() - a.cosine()),
						a.agreement() + f * (b.agreement() - a.agreement()));
			}
		}
		return last.calibration();
	}

	public List<Row> rows() {
		return this.rows;
	}

}
