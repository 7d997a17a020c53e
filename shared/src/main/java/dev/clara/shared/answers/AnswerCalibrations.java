package dev.clara.shared.answers;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An embedding model's calibration tables, as the database function
 * {@code answer_calibrations_of(model)} returns them ({@code [{"path": "similarity" | "answer_model",
 * "phrasings_per_group": 5, "a": …, "b": …, "threshold": …, "cosine_weight": …, "agreement_weight": …}]}, or null when none was measured).
 *
 * @param similarity the nearest pair's cosine; null: not measured (the cosine is its own confidence)
 * @param model the answer model's log-odds; null: not measured (the model is not used)
 */
public record AnswerCalibrations(CalibrationTable similarity, CalibrationTable model) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	public static AnswerCalibrations fromJson(String json) {
		if (json == null) {
			return new AnswerCalibrations(null, null);
		}
		List<CalibrationTable.Row> similarity = new ArrayList<>();
		List<CalibrationTable.Row> model = new ArrayList<>();
		for (JsonNode row : JSON.readTree(json)) {
			CalibrationTable.Row parsed = new CalibrationTable.Row(row.path("phrasings_per_group").asDouble(),
					new Calibration(row.path("a").asDouble(), row.path("b").asDouble(), row.path("threshold").asDouble(),
							row.path("cosine_weight").asDouble(0), row.path("agreement_weight").asDouble(0)));
			switch (row.path("path").asString()) {
				case "similarity" -> similarity.add(parsed);
				case "answer_model" -> model.add(parsed);
				default -> throw new IllegalArgumentException("unknown calibration path " + row.path("path"));
			}
		}
		return new AnswerCalibrations(similarity.isEmpty() ? null : new CalibrationTable(similarity),
				model.isEmpty() ? null : new CalibrationTable(model));
	}

	/**
	 * The policy of a workspace.
	 * @param override the owner's own threshold, or null
	 * @param uncalibratedThreshold the embedding model's cosine threshold, for when nothing is calibrated
	 * @param phrasingsPerGroup the workspace's pairs per answer group (of its newest model; 1 without one)
	 */
	public AnswerDecision.Policy policy(Double override, double uncalibratedThreshold, double phrasingsPerGroup) {
		return new AnswerDecision.Policy(override, uncalibratedThreshold,
				this.similarity == null ? null : this.similarity.at(phrasingsPerGroup),
				this.model == null ? null : this.model.at(phrasingsPerGroup));
	}

}
