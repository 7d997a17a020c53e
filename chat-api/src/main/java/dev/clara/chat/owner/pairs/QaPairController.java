package dev.clara.chat.owner.pairs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.JsonBody;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.owner.pairs.QaPairRepository.QaPair;
import dev.clara.chat.owner.web.Paging;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The knowledge base: list (filter by category, active, text; paginated), create, read, update,
 * soft delete ({@code is_active = false}: the pair leaves the search but is kept) and restore.
 */
@RestController
@RequestMapping("/api/owner/qa-pairs")
class QaPairController {

	private static final Set<String> FIELDS = Set.of("question", "answer", "category", "is_active");

	private final OwnerDb db;

	private final JsonMapper json;

	private final QaPairRepository pairs;

	private final QaPairInserts inserts;

	private final NearDuplicates nearDuplicates;

	private final OwnerProperties.Csv limits;

	QaPairController(OwnerDb db, JsonMapper json, QaPairRepository pairs, QaPairInserts inserts,
			NearDuplicates nearDuplicates, OwnerProperties properties) {
		this.db = db;
		this.json = json;
		this.pairs = pairs;
		this.inserts = inserts;
		this.nearDuplicates = nearDuplicates;
		this.limits = properties.csv();
	}

	/** A pair as saved, with near-duplicate warnings. */
	record Saved(QaPair qaPair, List<NearDuplicates.Warning> warnings) {
	}

	@GetMapping
	Paging.Page<QaPair> list(OwnerPrincipal owner, @RequestParam(required = false) String category,
			@RequestParam(required = false) String active, @RequestParam(name = "q", required = false) String text,
			@RequestParam(required = false) String page, @RequestParam(name = "per_page", required = false) String perPage) {
		Paging paging = Paging.of(page, perPage);
		Boolean activeFilter = switch (active == null ? "" : active) {
			case "", "all" -> null;
			case "true" -> Boolean.TRUE;
			case "false" -> Boolean.FALSE;
			default -> throw OwnerProblems.invalid("active", "must be true, false or all");
		};
		String pattern = (text == null || text.isBlank()) ? null
				: "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
		String categoryFilter = (category == null || category.isBlank()) ? null : category.strip();
		QaPairRepository.Filter filter = new QaPairRepository.Filter(categoryFilter, activeFilter, pattern);
		return this.db.as(owner, sql -> paging.page(this.pairs.list(sql, filter, paging.perPage(), paging.offset()),
				this.pairs.count(sql, filter)));
	}

	@PostMapping
	ResponseEntity<Saved> create(OwnerPrincipal owner, @RequestBody(required = false) String body) {
		JsonBody request = JsonBody.parse(this.json, body, FIELDS);
		String question = request.text("question", true, this.limits.maxQuestionChars());
		String answer = request.text("answer", true, this.limits.maxAnswerChars());
		String category = request.text("category", false, this.limits.maxCategoryChars());
		Boolean active = request.bool("is_active");
		request.validate();
		NearDuplicates.Probe probe = this.nearDuplicates.probe(this.db.as(owner, this.nearDuplicates::target), question);
		Saved saved = this.db.as(owner, sql -> {
			UUID workspace = OwnerDb.workspaceId(sql);
			UUID id = this.inserts.insert(sql, workspace, new QaPairInserts.NewPair(question, answer, category,
					active == null || active, QaPairInserts.Source.MANUAL, Map.of()));
			return new Saved(one(sql, id), this.nearDuplicates.find(sql, workspace, probe, id));
		});
		return ResponseEntity.status(HttpStatus.CREATED).body(saved);
	}

	@GetMapping("/{id}")
	QaPair read(OwnerPrincipal owner, @PathVariable String id) {
		UUID pair = Ids.parse(id, "Q&A pair");
		return this.db.as(owner, sql -> one(sql, pair));
	}

	@PatchMapping("/{id}")
	Saved update(OwnerPrincipal owner, @PathVariable String id, @RequestBody(required = false) String body) {
		UUID pair = Ids.parse(id, "Q&A pair");
		JsonBody request = JsonBody.parse(this.json, body, FIELDS);
		String question = request.text("question", false, this.limits.maxQuestionChars());
		String answer = request.text("answer", false, this.limits.maxAnswerChars());
		String category = request.text("category", false, this.limits.maxCategoryChars());
		Boolean active = request.bool("is_active");
		request.validate();
		NearDuplicates.Probe probe = (question == null) ? null
				: this.nearDuplicates.probe(this.db.as(owner, this.nearDuplicates::target), question);
		return this.db.as(owner, sql -> {
			if (!this.pairs.update(sql, pair, question, answer, category, active)) {
				throw OwnerProblems.notFound("Q&A pair");
			}
			List<NearDuplicates.Warning> warnings = new ArrayList<>();
			if (probe != null) {
				warnings.addAll(this.nearDuplicates.find(sql, OwnerDb.workspaceId(sql), probe, pair));
			}
			return new Saved(one(sql, pair), warnings);
		});
	}

	/** Soft delete: the pair leaves the search, and can be restored. */
	@DeleteMapping("/{id}")
	QaPair delete(OwnerPrincipal owner, @PathVariable String id) {
		return setActive(owner, id, false);
	}

	@PostMapping("/{id}/restore")
	QaPair restore(OwnerPrincipal owner, @PathVariable String id) {
		return setActive(owner, id, true);
	}

	private QaPair setActive(OwnerPrincipal owner, String id, boolean active) {
		UUID pair = Ids.parse(id, "Q&A pair");
		return this.db.as(owner, sql -> {
			if (!this.pairs.setActive(sql, pair, active)) {
				throw OwnerProblems.notFound("Q&A pair");
			}
			return one(sql, pair);
		});
	}

	private QaPair one(JdbcClient sql, UUID id) {
		return this.pairs.find(sql, id).orElseThrow(() -> OwnerProblems.notFound("Q&A pair"));
	}

}
