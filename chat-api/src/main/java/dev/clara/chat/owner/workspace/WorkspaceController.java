package dev.clara.chat.owner.workspace;

import java.util.Map;
import java.util.Set;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.web.JsonBody;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.owner.workspace.OwnerWorkspaceRepository.Stats;
import dev.clara.chat.owner.workspace.OwnerWorkspaceRepository.Workspace;
import dev.clara.chat.search.QuestionEmbeddings;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The owner's workspace: read, rename, settings, live figures. */
@RestController
@RequestMapping("/api/owner/workspace")
class WorkspaceController {

	private final OwnerDb db;

	private final JsonMapper json;

	private final OwnerWorkspaceRepository workspaces;

	private final QuestionEmbeddings embeddings;

	WorkspaceController(OwnerDb db, JsonMapper json, OwnerWorkspaceRepository workspaces,
			QuestionEmbeddings embeddings) {
		this.db = db;
		this.json = json;
		this.workspaces = workspaces;
		this.embeddings = embeddings;
	}

	@GetMapping
	Workspace read(OwnerPrincipal owner) {
		return this.db.as(owner, this::read);
	}

	@PatchMapping
	Workspace rename(OwnerPrincipal owner, @RequestBody(required = false) String body) {
		JsonBody request = JsonBody.parse(this.json, body, Set.of("name"));
		String name = request.text("name", true, 100);
		request.validate();
		return this.db.as(owner, sql -> {
			this.workspaces.rename(sql, name);
			return read(sql);
		});
	}

	@GetMapping("/settings")
	JsonNode settings(OwnerPrincipal owner) {
		return this.db.as(owner, this::read).settings();
	}

	/** Changes the settings named in the body (a partial object); the others keep their values. */
	@PatchMapping("/settings")
	JsonNode updateSettings(OwnerPrincipal owner, @RequestBody(required = false) String body) {
		JsonNode update = validSettings(body);
		return this.db.as(owner, sql -> {
			if (!this.workspaces.mergeSettings(sql, update)) {
				throw OwnerProblems.notFound("workspace");
			}
			return read(sql).settings();
		});
	}

	/** Replaces the settings: fields left out get the column default's values. */
	@PutMapping("/settings")
	JsonNode replaceSettings(OwnerPrincipal owner, @RequestBody(required = false) String body) {
		JsonNode update = validSettings(body);
		return this.db.as(owner, sql -> {
			this.workspaces.replaceSettings(sql, update);
			return read(sql).settings();
		});
	}

	/**
	 * The live figures: from the {@code workspace_stats} projection the CDC relay keeps current,
	 * or counted now when the projection has no row for this workspace yet ({@code source}).
	 */
	@GetMapping("/stats")
	Stats stats(OwnerPrincipal owner) {
		return this.db.as(owner, sql -> this.workspaces.projectedStats(sql)
			.orElseGet(() -> this.workspaces.liveStats(sql, this.embeddings.deploymentModel())));
	}

	private JsonNode validSettings(String body) {
		JsonNode update = JsonBody.parse(this.json, body, SettingsValidator.FIELDS).validate().node();
		Map<String, String> errors = SettingsValidator.validate(update);
		if (!errors.isEmpty()) {
			throw OwnerProblems.invalid(errors);
		}
		return update;
	}

	private Workspace read(JdbcClient sql) {
		return this.workspaces.find(sql, this.embeddings.deploymentModel())
			.orElseThrow(() -> OwnerProblems.notFound("workspace"));
	}

}
