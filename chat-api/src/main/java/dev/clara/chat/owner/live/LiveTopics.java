package dev.clara.chat.owner.live;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The topics the live updates read, named as every other service names them ({@code clara.topics.*},
 * {@code CLARA_TOPIC_*}).
 */
@ConfigurationProperties("clara.topics")
public record LiveTopics(@DefaultValue("clara.questions") String questions, @DefaultValue("clara.gaps") String gaps,
		@DefaultValue("clara.qa-pairs.changes") String qaPairChanges,
		@DefaultValue("clara.qa-pairs.embedded") String qaPairEmbedded,
		@DefaultValue("clara.answer-models") String answerModels, @DefaultValue("clara.feedback") String feedback,
		@DefaultValue("clara.spend-caps") String spendCaps, @DefaultValue("clara.imports") String imports,
		@DefaultValue("clara.documents.changes") String documentChanges,
		@DefaultValue("clara.documents.ingested") String documentIngested) {

	List<String> all() {
		return List.of(this.questions, this.gaps, this.qaPairChanges, this.qaPairEmbedded, this.answerModels,
				this.feedback, this.spendCaps, this.imports, this.documentChanges, this.documentIngested);
	}

}
