package dev.clara.relay.config;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.core.env.AbstractEnvironment;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.support.ResourcePropertySource;

import dev.clara.relay.core.RelaySettings;
import dev.clara.relay.topics.TopicsProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped {@code application.properties} (with no {@code CLARA_*} variables set): each event
 * type has a topic of its own, and every one of them is among the topics the relay declares.
 */
class RelayRoutingTests {

	private final Binder binder = Binder.get(shippedConfiguration());

	private final RelayProperties relay = this.binder.bind("clara.relay", RelayProperties.class).get();

	private final TopicsProperties topics = this.binder.bind("clara.topics", TopicsProperties.class).get();

	@Test
	void eachOutboxEventTypeIsRoutedToItsOwnTopic() {
		assertThat(this.relay.routes()).containsOnly(Map.entry("QuestionAsked", "clara.questions"),
				Map.entry("GapDetected", "clara.gaps"), Map.entry("QaPairEmbedded", "clara.qa-pairs.embedded"),
				Map.entry("AnswerModelTrained", "clara.answer-models"), Map.entry("AnswerRated", "clara.feedback"),
				Map.entry("SpendCapReached", "clara.spend-caps"), Map.entry("ImportProgressed", "clara.imports"),
				Map.entry("DocumentChanged", "clara.documents.changes"),
				Map.entry("DocumentIngested", "clara.documents.ingested"));
		assertThat(this.topics.qaPairEmbedded()).isEqualTo("clara.qa-pairs.embedded");
		// the table change stream keeps its topic to itself
		assertThat(this.topics.qaPairChanges()).isEqualTo("clara.qa-pairs.changes");
		assertThat(this.relay.routes()).doesNotContainValue(this.topics.qaPairChanges());
	}

	@Test
	void theRelayDeclaresTheEmbeddedTopicBesideTheOthers() {
		DataSourceProperties database = new DataSourceProperties();
		database.setUrl("jdbc:postgresql://127.0.0.1:54329/clara");
		database.setUsername("postgres");
		RelaySettings settings = new RelayConfiguration().relaySettings(this.relay, this.topics, database,
				"127.0.0.1:19092", "", "");

		assertThat(settings.topics()).containsExactlyInAnyOrder("clara.questions", "clara.gaps",
				"clara.qa-pairs.embedded", "clara.answer-models", "clara.feedback", "clara.spend-caps", "clara.imports",
				"clara.documents.changes", "clara.documents.ingested", "clara.qa-pairs.changes",
				"clara.outbox-dlt");
		assertThat(settings.topicPartitions()).isEqualTo(6);
		// unset variables keep the relay's own defaults; the model is the services' default
		assertThat(settings.slotName()).isEqualTo("clara_cdc");
		assertThat(settings.pollInterval()).isEqualTo(java.time.Duration.ofMillis(5));
		assertThat(settings.embeddingModel()).isEqualTo(dev.clara.shared.embedding.EmbeddingSettings.DEFAULT_LOCAL_MODEL);
	}

	private static ConfigurableEnvironment shippedConfiguration() {
		// no system environment: the defaults written in the file, not this machine's variables
		ConfigurableEnvironment environment = new AbstractEnvironment() {
		};
		try {
			environment.getPropertySources().addFirst(new ResourcePropertySource("classpath:application.properties"));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return environment;
	}

}
