package dev.clara.relay.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes synchronously: {@link #publish} returns only when Kafka has acknowledged every
 * record (acks=all, idempotent producer), and otherwise keeps retrying with bounded back-off,
 * logging each failure, for as long as the relay runs. It never gives up on a record.
 *
 * <p>Order: records go out in the order given; the idempotent producer retries internally
 * without reordering (delivery timeout effectively unbounded), so a Kafka outage delays records
 * but does not reorder them. When a send fails anyway (for example metadata of a missing topic),
 * publishing resumes at the first record not acknowledged; records after it may then be
 * published twice, which consumers absorb by deduplicating on the event id.
 */
public final class KafkaPublisher implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(KafkaPublisher.class);

	private static final long LOG_WAIT_EVERY_MS = 10_000;

	private final Map<String, Object> producerConfig;

	private final RelaySettings settings;

	private Producer<String, String> producer;

	private volatile String lastError;

	private final java.util.function.Consumer<String> errors;

	public KafkaPublisher(RelaySettings settings) {
		this(settings, (error) -> {
		});
	}

	/** @param errors told about every failure (the health endpoint shows the last one) */
	public KafkaPublisher(RelaySettings settings, java.util.function.Consumer<String> errors) {
		this.settings = settings;
		this.errors = errors;
		Map<String, Object> config = new HashMap<>();
		config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrapServers());
		config.put(ProducerConfig.CLIENT_ID_CONFIG, "clara-cdc-relay-" + settings.slotName());
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
		config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
		config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
		config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
		config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
		config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
		config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
		config.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 2_000);
		config.putAll(settings.producerOverrides());
		this.producerConfig = Map.copyOf(config);
	}

	/** The last publishing failure, for the health endpoint (null when the last publish worked). */
	public String lastError() {
		return this.lastError;
	}

	/**
	 * Publishes the records in order and waits for every acknowledgement.
	 * @throws InterruptedException when {@code running} turns false (the relay stops) before
	 * everything was acknowledged; the caller must then not mark anything processed
	 */
	public void publish(List<ProducerRecord<String, String>> records, BooleanSupplier running)
			throws InterruptedException {
		if (records.isEmpty()) {
			return;
		}
		Backoff backoff = new Backoff(this.settings.maxBackoff());
		int from = 0;
		while (from < records.size()) {
			if (!running.getAsBoolean()) {
				throw new InterruptedException("relay stopping with " + (records.size() - from) + " records unpublished");
			}
			Attempt attempt = attempt(records, from, running);
			if (attempt.failedAt < 0) {
				if (backoff.attempts() > 0) {
					logger.info("Kafka accepted the records again after {} failed attempts", backoff.attempts());
				}
				this.lastError = null;
				return;
			}
			from = attempt.failedAt;
			this.lastError = "Kafka: " + describe(attempt.error);
			this.errors.accept(this.lastError);
			logger.warn("Publishing to Kafka failed at record {} of {} (topic {}): {}; retrying (attempt {}) - nothing is skipped",
					from + 1, records.size(), records.get(from).topic(), this.lastError, backoff.attempts() + 1);
			if (isMissingTopic(attempt.error)) {
				ensureTopics();
			}
			if (attempt.async) {
				// a failed in-flight batch leaves the producer's sequence state uncertain: start afresh
				closeProducer();
			}
			if (!backoff.pause(running)) {
				throw new InterruptedException("relay stopping with " + (records.size() - from) + " records unpublished");
			}
		}
	}

	private record Attempt(int failedAt, Throwable error, boolean async) {
	}

	private Attempt attempt(List<ProducerRecord<String, String>> records, int from, BooleanSupplier running)
			throws InterruptedException {
		List<Future<RecordMetadata>> futures = new ArrayList<>(records.size() - from);
		Throwable sendError = null;
		try {
			Producer<String, String> p = producer();
			for (int i = from; i < records.size(); i++) {
				Future<RecordMetadata> future = p.send(records.get(i));
				if (future.isDone()) {
					// failed before it was queued (Kafka 4 reports a metadata timeout this way, after
					// max.block.ms): sending the rest would block as long again, each
					try {
						future.get();
					}
					catch (ExecutionException ex) {
						sendError = ex.getCause();
						break;
					}
				}
				futures.add(future);
			}
		}
		catch (RuntimeException ex) { // serialisation, closed producer ...
			sendError = ex;
		}
		for (int i = 0; i < futures.size(); i++) {
			Future<RecordMetadata> future = futures.get(i);
			long waitingSince = System.currentTimeMillis();
			while (true) {
				try {
					future.get(1, TimeUnit.SECONDS);
					break;
				}
				catch (TimeoutException ex) {
					if (!running.getAsBoolean()) {
						throw new InterruptedException("relay stopping while waiting for Kafka");
					}
					long waited = System.currentTimeMillis() - waitingSince;
					if (waited >= LOG_WAIT_EVERY_MS) {
						this.lastError = "Kafka has not acknowledged record " + (from + i + 1) + " for " + (waited / 1000)
								+ " s (broker unavailable?)";
						this.errors.accept(this.lastError);
						logger.warn("{}; the producer keeps retrying - nothing is skipped", this.lastError);
						waitingSince = System.currentTimeMillis();
					}
				}
				catch (ExecutionException ex) {
					return new Attempt(from + i, ex.getCause(), true);
				}
			}
		}
		if (sendError != null) {
			return new Attempt(from + futures.size(), sendError, false);
		}
		return new Attempt(-1, null, false);
	}

	private synchronized Producer<String, String> producer() {
		if (this.producer == null) {
			this.producer = new KafkaProducer<>(new HashMap<>(this.producerConfig));
		}
		return this.producer;
	}

	private synchronized void closeProducer() {
		if (this.producer != null) {
			try {
				this.producer.close(Duration.ofSeconds(2));
			}
			catch (RuntimeException ex) {
				logger.debug("Closing the producer failed", ex);
			}
			this.producer = null;
		}
	}

	private static boolean isMissingTopic(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (t instanceof UnknownTopicOrPartitionException
					|| (t.getMessage() != null && t.getMessage().contains("not present in metadata"))) {
				return true;
			}
		}
		return false;
	}

	private static String describe(Throwable error) {
		return error.getClass().getSimpleName() + ": " + error.getMessage();
	}

	/** Creates the relay's topics that do not exist (the broker may not create topics itself). */
	public void ensureTopics() {
		Set<String> names = this.settings.topics();
		Map<String, Object> adminConfig = new HashMap<>();
		adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.settings.kafkaBootstrapServers());
		adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
		adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
		try (Admin admin = Admin.create(adminConfig)) {
			Set<String> existing = admin.listTopics().names().get(5, TimeUnit.SECONDS);
			List<NewTopic> missing = names.stream()
				.filter((name) -> !existing.contains(name))
				.map((name) -> new NewTopic(name, this.settings.topicPartitions(), this.settings.topicReplicationFactor()))
				.toList();
			if (!missing.isEmpty()) {
				try {
					admin.createTopics(missing).all().get(5, TimeUnit.SECONDS);
					logger.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
				}
				catch (ExecutionException ex) {
					if (!(ex.getCause() instanceof TopicExistsException)) {
						throw ex;
					}
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			logger.warn("Could not check or create the relay's topics {}: {}", names, ex.toString());
		}
	}

	@Override
	public void close() {
		closeProducer();
	}

}
