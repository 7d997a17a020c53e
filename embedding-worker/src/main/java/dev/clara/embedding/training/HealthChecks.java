package dev.clara.embedding.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.clara.shared.answers.AnswerModel;
import dev.clara.shared.answers.AnswerModelHealth;
import dev.clara.shared.answers.AnswerModelHealth.Report;
import dev.clara.shared.answers.AnswerModelTrainer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The knowledge-base health of a stored model: 5-fold cross-validation on the workspace's own
 * phrasings (each fold warm-started from the model itself, at the trainer's full tolerance: a
 * looser one would stop folds early and flatter the figures). What an owner reads from it: the
 * answer groups the model confuses with each other (candidates to merge or reword) and the
 * phrasings that land on another group.
 */
final class HealthChecks {

	private final AnswerModelHealth health;

	private final JsonMapper json = JsonMapper.builder().build();

	HealthChecks(AnswerModelTrainer trainer) {
		this.health = new AnswerModelHealth(trainer, AnswerModelHealth.Settings.defaults());
	}

	/** The {@code answer_models.health} document of {@code model}, trained on {@code snapshot}. */
	String check(TrainingSnapshot snapshot, AnswerModel model) {
		List<AnswerModelHealth.Phrasing<UUID>> phrasings = snapshot.pairs()
			.stream()
			.map(pair -> new AnswerModelHealth.Phrasing<>(pair.id(), pair.vector(), pair.groupId()))
			.toList();
		Report<UUID> report = this.health.check(snapshot.embeddingModel(), phrasings,
				snapshot.outOfScope().stream().map(TrainingSnapshot.OutOfScope::vector).toList(), model);
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("folds", report.folds());
		document.put("accuracy", report.accuracy());
		document.put("checked_pairs", report.checked());
		document.put("single_phrasing_groups", report.uncheckedGroupIds().size());
		List<Map<String, Object>> confused = new ArrayList<>();
		report.confusions().forEach(c -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("group_a", c.firstGroupId());
			entry.put("group_b", c.secondGroupId());
			entry.put("a_as_b", c.firstAsSecond());
			entry.put("b_as_a", c.secondAsFirst());
			confused.add(entry);
		});
		document.put("confused_groups", confused);
		List<Map<String, Object>> misplaced = new ArrayList<>();
		report.misplaced().forEach(m -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("qa_pair_id", m.id().toString());
			entry.put("group", m.groupId());
			entry.put("predicted_group", m.predictedGroupId());
			entry.put("probability", m.probability());
			misplaced.add(entry);
		});
		document.put("misplaced_pairs", misplaced);
		document.put("took_ms", report.took().toMillis());
		return this.json.writeValueAsString(document);
	}

}
