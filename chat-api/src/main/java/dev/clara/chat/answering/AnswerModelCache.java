package dev.clara.chat.answering;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The answer models in memory, one per workspace: the chat turn knows the current version from
 * the workspace's settings (read anyway), so a model is read from the database once per version,
 * never per turn. Models are immutable: a turn that holds the old one while another loads the new
 * one finishes with the old one. The least recently used workspaces are forgotten beyond
 * {@code clara.chat.answer-model-cache-size}.
 */
@Component
class AnswerModelCache {

	private record Entry(int version, String embeddingModel, Optional<LoadedModel> model) {
	}

	private final AnswerModelRepository models;

	private final Map<UUID, Entry> byWorkspace;

	AnswerModelCache(AnswerModelRepository models, @Value("${clara.chat.answer-model-cache-size:1000}") int size) {
		this.models = models;
		this.byWorkspace = new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<UUID, Entry> eldest) {
				return size() > size;
			}
		};
	}

	/** The workspace's model of {@code version}, trained on {@code embeddingModel}; empty if it is not stored. */
	Optional<LoadedModel> get(UUID workspaceId, int version, String embeddingModel) {
		synchronized (this.byWorkspace) {
			Entry cached = this.byWorkspace.get(workspaceId);
			if (cached != null && cached.version() == version && cached.embeddingModel().equals(embeddingModel)) {
				return cached.model();
			}
		}
		// read outside the lock: other workspaces' turns do not wait for this one's model
		Optional<LoadedModel> loaded = this.models.load(workspaceId, version, embeddingModel);
		synchronized (this.byWorkspace) {
			this.byWorkspace.put(workspaceId, new Entry(version, embeddingModel, loaded));
		}
		return loaded;
	}

}
