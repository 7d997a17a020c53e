package dev.clara.chat.owner.pairs;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.JsonBody;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.owner.web.Paging;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.RowMapper;
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
 * soft delete ({@code is_active = false}, 004's soft delete) and restore.
 */
@RestController
@RequestMapping("/api/owner/qa-pairs")
class QaPairController {

	static final String COLUMNS = """
			id, question, answer, category, source, is_active, embedding_model IS NOT NULL AS embedded,
			embedding_model, embedded_at IS NOT NULL AND embedded_at >= updated_at AS embedding_current, created_at, updated_at
			""";

	private static final String FILTER = """
			WHERE (CAST(:category AS text) IS NULL OR category = :category)
			  AND (CAST(:active AS boolean) IS NULL OR is_active = :active)
			  AND (CAST(:text AS text) IS NULL OR question ILIKE :text ESCAPE '\\' OR answer ILIKE :text ESCAPE '\\')
			""";

	private static final String LIST = "SELECT " + COLUMNS + " FROM qa_pairs " + FILTER
			+ " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset";

	private static final String COUNT = "SELECT count(*) FROM qa_pairs " + FILTER;

	private static final String ONE = "SELECT " + COLUMNS + " FROM qa_pairs WHERE id = :id";

	private static final String INSERT = """
			INSERT INTO qa_pairs (workspace_id, question, answer, category, is_active, source)
			VALUES (:workspaceId, :question, :answer, :category, :active, 'manual')
			RETURNING id
			""";

	private static final String UPDATE = """
			UPDATE qa_pairs SET question = COALESCE(:question, question), answer = COALESCE(:answer, answer),
			       category = COALESCE(:category, category), is_active = COALESCE(CAST(:active AS boolean), is_active)
			WHERE id = :id
			""";

	private static final Set<String> FIELDS = Set.of("question", "answer", "category", "is_active");

	private final OwnerDb db;

	private final JsonMapper json;

	private final NearDuplicates nearDuplicates;

	private final OwnerProperties.Csv limits;

	QaPairController(OwnerDb db, JsonMapper json, NearDuplicates nearDuplicates, OwnerProperties properties) {
		this.db = db;
		this.json = json;
		this.nearDuplicates = nearDuplicates;
		this.limits = properties.csv();
	}

	record QaPair(UUID id, String question, String answer, String category, String source, boolean isActive,
			boolean embedded, String embeddingModel, boolean embeddingCurrent, OffsetDateTime createdAt,
			OffsetDateTime updatedAt) {
	}

	/** A pair as saved, with near-duplicate warnings. */
	record Saved(QaPair qaPair, List<NearDuplicates.Warning> warnings) {
	}

	static final RowMapper<QaPair> ROW = (row, i) -> new QaPair(row.getObject("id", UUID.class),
			row.getString("question"), row.getString("answer"), row.getString("category"), row.getString("source"),
			row.getBoolean("is_active"), row.getBoolean("embedded"), row.getString("embedding_model"),
			row.getBoolean("embedding_current"), row.getObject("created_at", OffsetDateTime.class),
			row.getObject("updated_at", OffsetDateTime.class));

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
		return this.db.as(owner, sql -> {
			List<QaPair> items = sql.sql(LIST)
				.param("category", categoryFilter)
				.param("active", activeFilter)
				.param("text", pattern)
				.param("limit", paging.perPage())
				.param("offset", paging.offset())
				.query(ROW)
				.list();
			long total = sql.sql(COUNT)
				.param("category", categoryFilter)
				.param("active", activeFilter)
				.param("text", pattern)
				.query(Long.class)
				.single();
			return paging.page(items, total);
		});
	}

	@PostMapping
	ResponseEntity<Saved> create(OwnerPrincipal owner, @RequestBody(required = false) String body) {
		JsonBody request = JsonBody.parse(this.json, body, FIELDS);
		String question = request.text("question", true, this.limits.maxQuestionChars());
		String answer = request.text("answer", true, this.limits.maxAnswerChars());
		String category = request.text("category", false, this.limits.maxCategoryChars());
		Boolean active = request.bool("is_active");
		request.validate();
		NearDuplicates.Probe probe = this.nearDuplicates.probe(this.db.as(owner, this.nearDuplicates::modelOf), question);
		Saved saved = this.db.as(owner, sql -> {
			UUID workspace = OwnerDb.workspaceId(sql);
			UUID id = sql.sql(INSERT)
				.param("workspaceId", workspace)
				.param("question", question)
				.param("answer", answer)
				.param("category", category == null ? "general" : category)
				.param("active", active == null || active)
				.query(UUID.class)
				.single();
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
				: this.nearDuplicates.probe(this.db.as(owner, this.nearDuplicates::modelOf), question);
		return this.db.as(owner, sql -> {
			int updated = sql.sql(UPDATE)
				.param("id", pair)
				.param("question", question)
				.param("answer", answer)
				.param("category", category)
				.param("active", active)
				.update();
			if (updated == 0) {
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
			int updated = sql.sql("UPDATE qa_pairs SET is_active = :active WHERE id = :id")
				.param("active", active)
				.param("id", pair)
				.update();
			if (updated == 0) {
				throw OwnerProblems.notFound("Q&A pair");
			}
			return one(sql, pair);
		});
	}

	static QaPair one(JdbcClient sql, UUID id) {
		return sql.sql(ONE).param("id", id).query(ROW).optional().orElseThrow(() -> OwnerProblems.notFound("Q&A pair"));
	}

}
