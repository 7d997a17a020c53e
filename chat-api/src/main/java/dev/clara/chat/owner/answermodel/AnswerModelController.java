package dev.clara.chat.owner.answermodel;

import java.time.OffsetDateTime;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.answermodel.OwnerAnswerModelRepository.Model;
import dev.clara.chat.owner.answermodel.OwnerAnswerModelRepository.Request;
import dev.clara.chat.owner.db.OwnerDb;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The workspace's answer model: its newest version's training figures and whether training is
 * waiting, and the knowledge-base health the trainer measured on it. Read-only: the trainer
 * decides when to train, owners' changes ask for it through the database.
 */
@RestController
@RequestMapping("/api/owner/answer-model")
class AnswerModelController {

	private final OwnerDb db;

	private final OwnerAnswerModelRepository models;

	private final HealthReports health;

	AnswerModelController(OwnerDb db, OwnerAnswerModelRepository models, HealthReports health) {
		this.db = db;
		this.models = models;
		this.health = health;
	}

	/**
	 * @param model the newest model, null before the first one: a 200 all the same, because
	 * "none yet, training requested" is an answer an owner waits on, not a missing resource
	 * @param training whether the model is out of date
	 */
	record Status(Model model, Training training) {
	}

	/**
	 * @param waiting a change asked for training that has not finished
	 * @param inProgress a trainer is working on it now
	 * @param requestedAt when the first change still waiting asked for it
	 * @param lastRequestedAt the latest such change (the trainer waits for changes to quiet down)
	 */
	record Training(boolean waiting, boolean inProgress, OffsetDateTime requestedAt, OffsetDateTime lastRequestedAt) {

		static Training of(Request request) {
			return request == null ? new Training(false, false, null, null)
					: new Training(true, request.inProgress(), request.firstRequestedAt(), request.lastRequestedAt());
		}

	}

	@GetMapping
	Status status(OwnerPrincipal owner) {
		return this.db.as(owner, sql -> new Status(this.models.newest(sql).orElse(null),
				Training.of(this.models.trainingRequest(sql, OwnerDb.workspaceId(sql)).orElse(null))));
	}

	/** 200 also without a report: {@code health} is null and {@code reason} says why. */
	@GetMapping("/health")
	HealthReports.View health(OwnerPrincipal owner) {
		return this.db.as(owner, this.health::read);
	}

}
