package dev.clara.chat.owner.answertests;

import java.util.Set;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.answertests.AnswerTestRepository.TestQuestion;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.JsonBody;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.owner.web.Paging;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The owner's test questions of the answer model: list, add, delete (no editing: a changed
 * question is another test, and its old outcomes would mislead), and how the model versions did on
 * them. The database asks for training when the list changes; the trainer checks every version
 * against every question.
 */
@RestController
@RequestMapping("/api/owner/answer-tests")
class AnswerTestController {

	/** The column's limit ({@code answer_test_questions.question}). */
	static final int MAX_QUESTION_CHARS = 2000;

	/**
	 * Most test questions a workspace keeps: each is embedded and checked on every training run,
	 * and the results come back whole, unpaged.
	 */
	static final int MAX_TEST_QUESTIONS = 500;

	private final OwnerDb db;

	private final JsonMapper json;

	private final AnswerTestRepository tests;

	AnswerTestController(OwnerDb db, JsonMapper json, AnswerTestRepository tests) {
		this.db = db;
		this.json = json;
		this.tests = tests;
	}

	@GetMapping
	Paging.Page<TestQuestion> list(OwnerPrincipal owner, @RequestParam(required = false) String page,
			@RequestParam(name = "per_page", required = false) String perPage) {
		Paging paging = Paging.of(page, perPage);
		return this.db.as(owner,
				sql -> paging.page(this.tests.list(sql, paging.perPage(), paging.offset()), this.tests.count(sql)));
	}

	/**
	 * {@code question} (required) and {@code expected_qa_id}: a pair of the workspace whose answer
	 * the question should get, or null/absent when it should not be answered.
	 */
	@PostMapping
	ResponseEntity<TestQuestion> create(OwnerPrincipal owner, @RequestBody(required = false) String body) {
		JsonBody request = JsonBody.parse(this.json, body, Set.of("question", "expected_qa_id"));
		String question = request.text("question", true, MAX_QUESTION_CHARS);
		UUID expected = request.uuid("expected_qa_id");
		request.validate();
		TestQuestion created = this.db.as(owner, sql -> {
			UUID workspace = this.tests.lockWorkspace(sql).orElseThrow(() -> OwnerProblems.notFound("workspace"));
			if (this.tests.count(sql) >= MAX_TEST_QUESTIONS) {
				throw OwnerProblems.limitReached("A workspace keeps at most " + MAX_TEST_QUESTIONS
						+ " test questions; delete some before adding more");
			}
			if (expected != null) {
				// another workspace's pair is not there under row-level security: the same answer as none at all
				boolean active = this.tests.pairActive(sql, expected).orElseThrow(AnswerTestController::noSuchPair);
				if (!active) {
					throw OwnerProblems.unprocessable("expected_qa_id",
							"the Q&A pair is deleted and is never answered; restore it first");
				}
			}
			UUID id;
			try {
				id = this.tests.insert(sql, workspace, question, expected);
			}
			catch (DataIntegrityViolationException ex) {
				// the pair was deleted for good since it was read
				throw noSuchPair();
			}
			return this.tests.find(sql, id).orElseThrow();
		});
		return ResponseEntity.status(HttpStatus.CREATED).body(created);
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(OwnerPrincipal owner, @PathVariable String id) {
		UUID test = Ids.parse(id, "test question");
		this.db.run(owner, sql -> {
			if (!this.tests.delete(sql, test)) {
				throw OwnerProblems.notFound("test question");
			}
		});
		return ResponseEntity.noContent().build();
	}

	/**
	 * Every test question with its outcome for one model version.
	 *
	 * @param version the model version; default the newest (none yet: every outcome is pending)
	 */
	@GetMapping("/results")
	TestResults results(OwnerPrincipal owner, @RequestParam(required = false) String version) {
		Integer requested = parseVersion(version);
		return this.db.as(owner, sql -> {
			Integer shown = requested;
			if (shown == null) {
				shown = this.tests.newestVersion(sql).orElse(null);
			}
			else if (!this.tests.versionExists(sql, shown)) {
				throw OwnerProblems.notFound("answer model version");
			}
			Integer previous = (shown == null) ? null : this.tests.previousVersion(sql, shown).orElse(null);
			return TestResults.of(shown, previous, this.tests.results(sql, shown, previous));
		});
	}

	private static Integer parseVersion(String version) {
		if (version == null || version.isBlank()) {
			return null;
		}
		try {
			int n = Integer.parseInt(version.strip());
			if (n >= 1) {
				return n;
			}
		}
		catch (NumberFormatException ex) {
			// falls through to the problem
		}
		throw OwnerProblems.invalid("version", "must be a whole number from 1");
	}

	private static RuntimeException noSuchPair() {
		return OwnerProblems.unprocessable("expected_qa_id", "no such Q&A pair in this workspace");
	}

}
