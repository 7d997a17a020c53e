package dev.clara.embedding.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.clara.shared.answers.AnswerModel;
import dev.clara.shared.answers.AnswerModelTrainer;
import dev.clara.shared.answers.TrainedPairs;
import dev.clara.shared.embedding.EmbeddingProvider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Trains the answer model of each workspace that asked for one, one workspace at a time on a
 * thread of its own (training is CPU work of seconds to a minute; it must not hold up embedding),
 * and, on a second thread, cross-validates stored models for the owner's health report.
 * A run reads the workspace's pairs, skips training when nothing it learns from changed (so a
 * replayed topic changes nothing), trains warm-started from the previous model outside any
 * transaction, and stores the model with its event; then checks the owner's test questions.
 */
@Component
class AnswerTrainer implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(AnswerTrainer.class);

	/** What a run did. */
	enum Outcome {

		TRAINED, UNCHANGED, NOTHING_TO_TRAIN, WORKSPACE_GONE

	}

	private final TrainingRequests requests;

	private final AnswerModelRepository models;

	private final TestQuestions testQuestions;

	private final TrainerProperties properties;

	private final String deploymentModel;

	private final AnswerModelTrainer trainer;

	private final HealthChecks health;

	private final Counter runs;

	private final TrainerMetrics metrics;

	private volatile ScheduledExecutorService executor;

	AnswerTrainer(TrainingRequests requests, AnswerModelRepository models, TestQuestions testQuestions,
			TrainerProperties properties, EmbeddingProvider provider, MeterRegistry meters) {
		this.requests = requests;
		this.models = models;
		this.testQuestions = testQuestions;
		this.properties = properties;
		this.deploymentModel = provider.modelId();
		this.trainer = new AnswerModelTrainer(AnswerModelTrainer.Settings.defaults().withThreads(properties.threads()));
		this.health = new HealthChecks(this.trainer);
		this.runs = Counter.builder("clara.trainer.models").description("answer models trained").register(meters);
		this.metrics = new TrainerMetrics(meters);
	}

	@Override
	public void start() {
		if (!this.properties.enabled()) {
			return;
		}
		// two threads: training, and the health checks, which take up to a minute on a large
		// knowledge base and must not hold up a workspace that is due
		ScheduledExecutorService started = Executors.newScheduledThreadPool(2, runnable -> {
			Thread thread = new Thread(runnable, "answer-trainer");
			thread.setDaemon(true);
			return thread;
		});
		long poll = this.properties.pollInterval().toMillis();
		started.scheduleWithFixedDelay(this::trainDue, poll, poll, TimeUnit.MILLISECONDS);
		started.scheduleWithFixedDelay(this::checkHealthOfOne, poll, poll, TimeUnit.MILLISECONDS);
		this.executor = started;
	}

	@Override
	public void stop() {
		ScheduledExecutorService running = this.executor;
		this.executor = null;
		if (running != null) {
			running.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	/** Trains every workspace that is due, one after another. */
	void trainDue() {
		try {
			Optional<TrainingRequests.Claim> claim;
			while (this.executor != null && (claim = this.requests.claimDue(this.properties.quiet(),
					this.properties.maxDelay(), this.properties.lease())).isPresent()) {
				run(claim.get());
			}
		}
		catch (RuntimeException ex) {
			// the database may be away for a moment: the next poll tries again
			log.warn("answer-model trainer could not look for work: {}", ex.toString());
		}
	}

	/** Cross-validates one stored model that has no health report yet, if any. */
	void checkHealthOfOne() {
		try {
			this.models.nextWithoutHealth(this.properties.healthMaxPairs()).ifPresent(this::checkHealth);
		}
		catch (RuntimeException ex) {
			log.warn("answer-model health check could not look for work: {}", ex.toString());
		}
	}

	private void run(TrainingRequests.Claim claim) {
		long started = System.nanoTime();
		try {
			Outcome outcome = train(claim.workspaceId());
			this.metrics.run(outcome.name(), started);
			log.debug("answer model of workspace {}: {}", claim.workspaceId(), outcome);
			this.requests.finish(claim);
		}
		catch (RuntimeException ex) {
			log.warn("training the answer model of workspace {} failed, retrying in {}: {}", claim.workspaceId(),
					this.properties.retryAfter(), ex.toString());
			this.metrics.run("FAILED", started);
			this.requests.retryLater(claim, this.properties.retryAfter());
		}
	}

	/** One run for one workspace. */
	Outcome train(UUID workspaceId) {
		Optional<TrainingSnapshot> read = this.models.snapshot(workspaceId, this.deploymentModel,
				this.properties.maxPairs(), () -> log.warn("workspace {} has more than {} pairs: no answer model",
						workspaceId, this.properties.maxPairs()));
		if (read.isEmpty()) {
			return Outcome.WORKSPACE_GONE;
		}
		TrainingSnapshot snapshot = read.get();
		if (snapshot.pairs().isEmpty()) {
			return Outcome.NOTHING_TO_TRAIN;
		}
		Optional<AnswerModelRepository.Latest> latest = this.models.latest(workspaceId);
		if (latest.isPresent() && latest.get().fingerprint().equals(snapshot.fingerprint())) {
			// nothing the model learns from changed; test questions added since still get checked
			this.testQuestions.check(snapshot, latest.get().model(), latest.get().version());
			return Outcome.UNCHANGED;
		}
		AnswerModel earlier = latest.filter(l -> l.embeddingModel().equals(snapshot.embeddingModel()))
			.map(AnswerModelRepository.Latest::model)
			.orElse(null);
		AnswerModelTrainer.Trained trained = this.trainer.train(snapshot.embeddingModel(),
				snapshot.pairs().stream().map(p -> new AnswerModelTrainer.Example(p.vector(), p.groupId())).toList(),
				snapshot.outOfScope().stream().map(TrainingSnapshot.OutOfScope::vector).toList(), earlier);
		Optional<Integer> version = this.models.store(new AnswerModelRepository.NewModel(snapshot, trained.model(),
				groupsJson(trained.model(), snapshot), trained.iterations(), trained.converged(), trained.loss(),
				trained.took().toMillis()));
		if (version.isEmpty()) {
			return Outcome.WORKSPACE_GONE;
		}
		this.runs.increment();
		this.metrics.stored(version.get());
		log.info("answer model {} of workspace {}: {} pairs, {} groups, {} out-of-scope, {} iterations, {} ms",
				version.get(), workspaceId, snapshot.pairs().size(), snapshot.groupCount(), snapshot.outOfScope().size(),
				trained.iterations(), trained.took().toMillis());
		this.testQuestions.check(snapshot, trained.model(), version.get());
		return Outcome.TRAINED;
	}

	/**
	 * Cross-validates a stored model on the data it was trained on; when that data has changed
	 * since (a newer model is on its way), the report says so instead.
	 */
	private void checkHealth(AnswerModelRepository.HealthDue due) {
		String document;
		try {
			Optional<TrainingSnapshot> snapshot = this.models.snapshot(due.workspaceId(), this.deploymentModel,
					this.properties.healthMaxPairs(), () -> {
					});
			Optional<AnswerModelRepository.Latest> model = this.models.version(due.workspaceId(), due.version());
			if (snapshot.isEmpty() || model.isEmpty()) {
				return;
			}
			document = snapshot.get().fingerprint().equals(due.fingerprint())
					? this.health.check(snapshot.get(), model.get().model())
					: "{\"not_checked\": \"the knowledge base changed after this model was trained\"}";
		}
		catch (RuntimeException ex) {
			log.warn("health of answer model {} of workspace {} failed: {}", due.version(), due.workspaceId(), ex.toString());
			document = "{\"not_checked\": \"the check failed; it is not retried for this model\"}";
		}
		this.models.saveHealth(due.workspaceId(), due.version(), document);
	}

	/** The groups in the model's order, each with the pairs it was trained on. */
	private static String groupsJson(AnswerModel model, TrainingSnapshot snapshot) {
		Map<String, List<UUID>> pairsOf = new LinkedHashMap<>();
		model.groupIds().forEach(group -> pairsOf.put(group, new ArrayList<>()));
		snapshot.pairs().forEach(pair -> pairsOf.get(pair.groupId()).add(pair.id()));
		return new TrainedPairs(pairsOf).toJson();
	}

}
