package dev.clara.relay.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the relay needs to run, independent of Spring (the Spring configuration builds it
 * from {@code application.properties}; tests build it directly).
 *
 * @param jdbcUrl the database (the one the outbox and the captured tables live in)
 * @param user database user; needs the REPLICATION attribute (or superuser) and must own the
 * captured tables to create the publication
 * @param password its password (may be empty)
 * @param kafkaBootstrapServers the Kafka cluster
 * @param slotName replication slot, also Debezium's topic prefix and the advisory-lock name
 * @param publicationName pgoutput publication
 * @param routes event type to topic, for outbox rows
 * @param deadLetterTopic where outbox rows of an unknown event type go
 * @param qaPairChangesTopic topic of {@code QaPairChanged}
 * @param topicPartitions partitions of the topics the relay declares
 * @param topicReplicationFactor replication factor of the topics the relay declares
 * @param embeddingModel the deployment's current embedding model ("embedded" in the projection)
 * @param heartbeatInterval Debezium heartbeat (moves the slot while captured tables are idle)
 * @param pollInterval how often the engine looks for new changes (latency)
 * @param maxBatchSize Debezium's max.batch.size
 * @param offsetFlushInterval how often processed offsets are stored (and the slot confirmed)
 * @param standbyPollInterval how often a standby tries to take the lock
 * @param lockCheckInterval how often the active instance checks its lock connection
 * @param maxBackoff ceiling of every retry back-off (Kafka, database, engine restarts)
 * @param outboxRetention outbox rows older than this are pruned (never before they were relayed)
 * @param processedEventsRetention consumers' processed_events older than this are pruned
 * @param pruneInterval how often the active instance prunes
 * @param pruneSafetyMargin outbox rows are pruned only if created this long before the commit
 * of the last relayed outbox row (covers long transactions)
 * @param producerOverrides extra Kafka producer properties (tests, tuning)
 */
public record RelaySettings(String jdbcUrl, String user, String password, String kafkaBootstrapServers,
		String slotName, String publicationName, Map<String, String> routes, String deadLetterTopic,
		String qaPairChangesTopic, int topicPartitions, short topicReplicationFactor, String embeddingModel,
		Duration heartbeatInterval, Duration pollInterval, int maxBatchSize, Duration offsetFlushInterval,
		Duration standbyPollInterval, Duration lockCheckInterval, Duration maxBackoff, Duration outboxRetention,
		Duration processedEventsRetention, Duration pruneInterval, Duration pruneSafetyMargin,
		Map<String, Object> producerOverrides) {

	/** The tables the relay captures; the heartbeat table is in the publication too. */
	public static final List<String> CAPTURED_TABLES = List.of("public.outbox_events", "public.qa_pairs",
			"public.qa_gaps", "public.conversations", "public.messages", "cdc.heartbeat");

	/** Debezium's offsets (schema module, V20). */
	public static final String OFFSET_TABLE = "cdc.offsets";

	private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	public RelaySettings {
		Objects.requireNonNull(jdbcUrl, "jdbcUrl");
		Objects.requireNonNull(user, "user");
		password = (password != null) ? password : "";
		Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
		requireIdentifier("slot name", slotName);
		requireIdentifier("publication name", publicationName);
		routes = Map.copyOf(Objects.requireNonNull(routes, "routes"));
		Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
		Objects.requireNonNull(qaPairChangesTopic, "qaPairChangesTopic");
		Objects.requireNonNull(embeddingModel, "embeddingModel");
		if (topicPartitions < 1 || topicReplicationFactor < 1) {
			throw new IllegalArgumentException("Topic partitions and replication factor must be set (at least 1)");
		}
		producerOverrides = Map.copyOf((producerOverrides != null) ? producerOverrides : Map.of());
	}

	private static void requireIdentifier(String what, String value) {
		if (value == null || !IDENTIFIER.matcher(value).matches()) {
			throw new IllegalArgumentException("The " + what + " must be a lower-case SQL identifier "
					+ "([a-z_][a-z0-9_]*, at most 63 characters), not '" + value + "'");
		}
	}

	/** Debezium's engine name, part of its offset key. */
	public String engineName() {
		return "clara-cdc-relay";
	}

	/** Every topic the relay writes to. */
	public Set<String> topics() {
		Set<String> topics = new LinkedHashSet<>(this.routes.values());
		topics.add(this.qaPairChangesTopic);
		topics.add(this.deadLetterTopic);
		return topics;
	}

	/**
	 * A builder whose defaults are the relay's tuning defaults (slot and publication
	 * {@code clara_cdc}, intervals, retention, batch size: the one place they are stated); the
	 * connection, topics and embedding model have none and must be set.
	 */
	public static Builder builder() {
		return new Builder();
	}

	public Builder toBuilder() {
		Builder b = new Builder();
		b.jdbcUrl = this.jdbcUrl;
		b.user = this.user;
		b.password = this.password;
		b.kafkaBootstrapServers = this.kafkaBootstrapServers;
		b.slotName = this.slotName;
		b.publicationName = this.publicationName;
		b.routes = new LinkedHashMap<>(this.routes);
		b.deadLetterTopic = this.deadLetterTopic;
		b.qaPairChangesTopic = this.qaPairChangesTopic;
		b.topicPartitions = this.topicPartitions;
		b.topicReplicationFactor = this.topicReplicationFactor;
		b.embeddingModel = this.embeddingModel;
		b.heartbeatInterval = this.heartbeatInterval;
		b.pollInterval = this.pollInterval;
		b.maxBatchSize = this.maxBatchSize;
		b.offsetFlushInterval = this.offsetFlushInterval;
		b.standbyPollInterval = this.standbyPollInterval;
		b.lockCheckInterval = this.lockCheckInterval;
		b.maxBackoff = this.maxBackoff;
		b.outboxRetention = this.outboxRetention;
		b.processedEventsRetention = this.processedEventsRetention;
		b.pruneInterval = this.pruneInterval;
		b.pruneSafetyMargin = this.pruneSafetyMargin;
		b.producerOverrides = new LinkedHashMap<>(this.producerOverrides);
		return b;
	}

	/** Mutable builder with the production defaults. */
	public static final class Builder {

		private String jdbcUrl;

		private String user;

		private String password;

		private String kafkaBootstrapServers;

		private String slotName = "clara_cdc";

		private String publicationName = "clara_cdc";

		private Map<String, String> routes = new LinkedHashMap<>();

		private String deadLetterTopic;

		private String qaPairChangesTopic;

		private int topicPartitions;

		private short topicReplicationFactor;

		private String embeddingModel;

		private Duration heartbeatInterval = Duration.ofSeconds(10);

		// Debezium waits this long twice per change (its streaming thread after an idle read, its queue
		// before handing over a batch): it is most of the commit-to-Kafka latency
		private Duration pollInterval = Duration.ofMillis(5);

		private int maxBatchSize = 2048;

		// storing the offsets holds up the engine's poll thread (a database write, then the slot's
		// confirmation): every second, that put a stall behind the p99 of the commit-to-Kafka latency. A
		// crash redelivers what was relayed since the last store; consumers deduplicate by event id
		private Duration offsetFlushInterval = Duration.ofSeconds(10);

		private Duration standbyPollInterval = Duration.ofSeconds(1);

		private Duration lockCheckInterval = Duration.ofSeconds(1);

		private Duration maxBackoff = Duration.ofSeconds(10);

		private Duration outboxRetention = Duration.ofDays(7);

		private Duration processedEventsRetention = Duration.ofDays(7);

		private Duration pruneInterval = Duration.ofHours(1);

		private Duration pruneSafetyMargin = Duration.ofHours(1);

		private Map<String, Object> producerOverrides = new LinkedHashMap<>();

		private Builder() {
		}

		public Builder jdbcUrl(String value) {
			this.jdbcUrl = value;
			return this;
		}

		public Builder user(String value) {
			this.user = value;
			return this;
		}

		public Builder password(String value) {
			this.password = value;
			return this;
		}

		public Builder kafkaBootstrapServers(String value) {
			this.kafkaBootstrapServers = value;
			return this;
		}

		public Builder slotName(String value) {
			this.slotName = value;
			return this;
		}

		public Builder publicationName(String value) {
			this.publicationName = value;
			return this;
		}

		public Builder route(String eventType, String topic) {
			this.routes.put(eventType, topic);
			return this;
		}

		public Builder routes(Map<String, String> value) {
			this.routes = new LinkedHashMap<>(value);
			return this;
		}

		public Builder deadLetterTopic(String value) {
			this.deadLetterTopic = value;
			return this;
		}

		public Builder qaPairChangesTopic(String value) {
			this.qaPairChangesTopic = value;
			return this;
		}

		public Builder topicPartitions(int value) {
			this.topicPartitions = value;
			return this;
		}

		public Builder topicReplicationFactor(short value) {
			this.topicReplicationFactor = value;
			return this;
		}

		public Builder embeddingModel(String value) {
			this.embeddingModel = value;
			return this;
		}

		public Builder heartbeatInterval(Duration value) {
			this.heartbeatInterval = value;
			return this;
		}

		public Builder pollInterval(Duration value) {
			this.pollInterval = value;
			return this;
		}

		public Builder maxBatchSize(int value) {
			this.maxBatchSize = value;
			return this;
		}

		public Builder offsetFlushInterval(Duration value) {
			this.offsetFlushInterval = value;
			return this;
		}

		public Builder standbyPollInterval(Duration value) {
			this.standbyPollInterval = value;
			return this;
		}

		public Builder lockCheckInterval(Duration value) {
			this.lockCheckInterval = value;
			return this;
		}

		public Builder maxBackoff(Duration value) {
			this.maxBackoff = value;
			return this;
		}

		public Builder outboxRetention(Duration value) {
			this.outboxRetention = value;
			return this;
		}

		public Builder processedEventsRetention(Duration value) {
			this.processedEventsRetention = value;
			return this;
		}

		public Builder pruneInterval(Duration value) {
			this.pruneInterval = value;
			return this;
		}

		public Builder pruneSafetyMargin(Duration value) {
			this.pruneSafetyMargin = value;
			return this;
		}

		public Builder producerOverride(String key, Object value) {
			this.producerOverrides.put(key, value);
			return this;
		}

		public RelaySettings build() {
			return new RelaySettings(this.jdbcUrl, this.user, this.password, this.kafkaBootstrapServers, this.slotName,
					this.publicationName, this.routes, this.deadLetterTopic, this.qaPairChangesTopic,
					this.topicPartitions, this.topicReplicationFactor, this.embeddingModel, this.heartbeatInterval,
					this.pollInterval, this.maxBatchSize, this.offsetFlushInterval, this.standbyPollInterval,
					this.lockCheckInterval, this.maxBackoff, this.outboxRetention, this.processedEventsRetention,
					this.pruneInterval, this.pruneSafetyMargin, this.producerOverrides);
		}

	}

}
