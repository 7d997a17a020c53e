package dev.clara.chat.owner.imports;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.pairs.QaPairInserts;

import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes one batch of an import: its new pairs, its per-row report and the job's progress, in ONE
 * owner transaction under row-level security. A row whose question (normalised: case, spacing) is
 * already in the knowledge base, or earlier in the file, is a duplicate and is not imported.
 */
@Component
class ImportBatches {

	private static final int REPORT_QUESTION_CHARS = 200;

	private final OwnerDb db;

	private final ImportJobRepository jobs;

	private final QaPairInserts pairs;

	private final JsonMapper json;

	private final ImportProgressEvents events;

	ImportBatches(OwnerDb db, ImportJobRepository jobs, QaPairInserts pairs, JsonMapper json,
			ImportProgressEvents events) {
		this.db = db;
		this.jobs = jobs;
		this.pairs = pairs;
		this.json = json;
		this.events = events;
	}

	void write(OwnerPrincipal owner, UUID jobId, List<CsvRows.Row> batch) {
		this.db.run(owner, sql -> {
			UUID workspace = OwnerDb.workspaceId(sql);
			this.jobs.lockImports(sql, workspace);
			Map<Integer, String> outcome = new HashMap<>();
			Map<Integer, String> reason = new HashMap<>();
			List<CsvRows.Row> valid = batch.stream().filter(CsvRows.Row::valid).toList();
			for (CsvRows.Row row : batch) {
				if (!row.valid()) {
					outcome.put(row.number(), "invalid");
					reason.put(row.number(), row.invalid());
				}
			}
			if (!valid.isEmpty()) {
				String questions = questions(valid);
				// already in the knowledge base (an earlier batch of this file, an earlier import, or by hand)
				for (ImportJobRepository.Existing existing : this.jobs.existing(sql, questions)) {
					outcome.put(existing.rowNumber(), "duplicate");
					reason.put(existing.rowNumber(),
							jobId.toString().equals(existing.importJobId()) && existing.importRow() != null
									? "same question as row " + existing.importRow() + " of this file"
									: "the question is already in the knowledge base");
				}
				// twice in this batch
				Map<String, Integer> firstByKey = new HashMap<>();
				for (ImportJobRepository.Key key : this.jobs.keys(sql, questions)) {
					Integer first = firstByKey.putIfAbsent(key.key(), key.rowNumber());
					if (first != null && !outcome.containsKey(key.rowNumber())) {
						outcome.put(key.rowNumber(), "duplicate");
						reason.put(key.rowNumber(), "same question as row " + first + " of this file");
					}
				}
			}
			List<CsvRows.Row> toImport = valid.stream().filter(row -> !outcome.containsKey(row.number())).toList();
			List<UUID> ids = this.pairs.insert(sql, workspace,
					toImport.stream().map(row -> newPair(jobId, row)).toList());
			Map<Integer, UUID> created = new HashMap<>();
			for (int i = 0; i < toImport.size(); i++) {
				created.put(toImport.get(i).number(), ids.get(i));
			}
			ArrayNode report = this.json.createArrayNode();
			int imported = 0;
			int duplicates = 0;
			int invalid = 0;
			for (CsvRows.Row row : batch) {
				String result = outcome.getOrDefault(row.number(), "imported");
				switch (result) {
					case "imported" -> imported++;
					case "duplicate" -> duplicates++;
					default -> invalid++;
				}
				ObjectNode entry = report.addObject()
					.put("n", row.number())
					.put("l", row.line())
					.put("o", result)
					.put("r", reason.get(row.number()))
					.put("q", row.question() == null ? null
							: row.question().substring(0, Math.min(REPORT_QUESTION_CHARS, row.question().length())));
				UUID pair = created.get(row.number());
				entry.put("p", pair == null ? null : pair.toString());
			}
			this.jobs.insertReport(sql, jobId, workspace, this.json.writeValueAsString(report));
			this.jobs.addProgress(sql, jobId,
					new ImportJobRepository.Progress(batch.size(), imported, duplicates, invalid));
			// last: it leaves the owner's role
			this.events.publish(sql, jobId);
		});
	}

	private static QaPairInserts.NewPair newPair(UUID jobId, CsvRows.Row row) {
		return new QaPairInserts.NewPair(row.question(), row.answer(), row.category(), true,
				QaPairInserts.Source.CSV_IMPORT, Map.of("import_job_id", jobId.toString(), "import_row", row.number()));
	}

	private String questions(List<CsvRows.Row> rows) {
		ArrayNode array = this.json.createArrayNode();
		rows.forEach(row -> array.addObject().put("n", row.number()).put("q", row.question()));
		return this.json.writeValueAsString(array);
	}

}
