package dev.clara.chat.owner.live;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.InvalidEventException;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.CommonLoggingErrorHandler;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.stereotype.Component;

/**
 * This replica's one reader of the topics the dashboard cares about, for its own streams.
 *
 * <p>Every replica must see every event (an owner's stream may be open on any of them), so the
 * replicas must not share partitions: each reads in a consumer group of its own,
 * {@code chat-api-live-<random>}, made new at every start. A group of one member rebalances only
 * when that member joins or leaves, so replicas coming and going never move another replica's
 * partitions (no rebalancing storms), and subscribing (rather than assigning partitions by hand)
 * follows partitions and topics added later (within 30 s, {@code metadata.max.age.ms}). It starts
 * at the end of each partition and never commits an offset: events missed while a replica was
 * down are not replayed (the dashboard refetches on reconnect). A replica that stops deletes its
 * group.
 *
 * <p>No dead-letter topic: this is a view, not a processor. A record it cannot read changes no
 * state, so skipping it (logged) loses nothing that a dead letter would let anyone repair; the
 * services that act on the event have their own dead letters.
 */
@Component
class LiveFeed implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

	private final LiveStreams streams;

	private final LiveEvents events;

	private final KafkaMessageListenerContainer<String, String> container;

	private final AtomicBoolean reading = new AtomicBoolean();

	private final String groupId = "chat-api-live-" + UUID.randomUUID();

	private final Map<String, Object> admin;

	LiveFeed(LiveStreams streams, EventCodec codec, KafkaProperties kafka, LiveTopics topics,
			LiveProperties properties, MeterRegistry meters) {
		this.streams = streams;
		this.events = new LiveEvents(codec);
		this.admin = new HashMap<>(kafka.buildAdminProperties());
		// at shutdown a broker that is gone must not hold the replica up
		this.admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
		this.admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
		Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
		consumer.put(ConsumerConfig.GROUP_ID_CONFIG, this.groupId);
		consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
		consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		consumer.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
		consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		// a pattern of the exact names, not the names: a topic not created yet (an older relay has not
		// declared it) is then simply not there, instead of a warning at every metadata request;
		// it is picked up at a metadata refresh once it exists
		consumer.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 30_000);
		Pattern names = Pattern.compile(topics.all().stream().map(Pattern::quote).collect(Collectors.joining("|")));
		ContainerProperties container = new ContainerProperties(names);
		// MANUAL and never acknowledged: no offset is ever committed
		container.setAckMode(ContainerProperties.AckMode.MANUAL);
		container.setMessageListener((MessageListener<String, String>) this::onRecord);
		container.setConsumerRebalanceListener(new ConsumerAwareRebalanceListener() {
			@Override
			public void onPartitionsAssigned(Consumer<?, ?> kafkaConsumer, Collection<TopicPartition> partitions) {
				// resolve "the end" now, so every record written from here on reaches the streams
				kafkaConsumer.seekToEnd(partitions);
				partitions.forEach(kafkaConsumer::position);
				LiveFeed.this.reading.set(true);
				log.info("Live updates: reading {} partitions of {} from their end", partitions.size(), topics.all());
			}
		});
		DefaultKafkaConsumerFactory<String, String> consumers = new DefaultKafkaConsumerFactory<>(consumer);
		// the Kafka client's own metrics (records lag and fetch rates), as Boot's factories get them
		consumers.addListener(new MicrometerConsumerListener<>(meters));
		this.container = new KafkaMessageListenerContainer<>(consumers, container);
		this.container.setBeanName("liveFeed");
		// the listener throws nothing; should anything slip through, log it and go on
		this.container.setCommonErrorHandler(new CommonLoggingErrorHandler());
		this.container.setAutoStartup(properties.enabled());
		if (!properties.enabled()) {
			log.info("Live updates are off (clara.live.enabled=false): owners' streams carry no events");
		}
	}

	/** The container, a lifecycle bean of its own: started with the application, stopped after the streams ended. */
	KafkaMessageListenerContainer<String, String> container() {
		return this.container;
	}

	/**
	 * After the container stopped (its consumer left the group): deletes this replica's group, so
	 * replicas coming and going leave nothing behind on the broker. A replica killed outright leaves
	 * an empty group without offsets, harmless, which an operator may delete.
	 */
	@Override
	public void destroy() {
		if (!this.reading.get()) {
			return;
		}
		try (Admin kafka = Admin.create(this.admin)) {
			kafka.deleteConsumerGroups(List.of(this.groupId)).all().get(5, TimeUnit.SECONDS);
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			log.info("Live updates: consumer group {} not deleted ({})", this.groupId, ex.getClass().getSimpleName());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Whether the consumer has its partitions and reads from their end (a replica that just started may not yet). */
	boolean reading() {
		return this.reading.get();
	}

	void onRecord(ConsumerRecord<String, String> record) {
		try {
			Optional<UUID> keyed = LiveEvents.keyedWorkspace(record);
			if (keyed.isPresent() && !this.streams.watched(keyed.get())) {
				// nobody here watches that workspace: not even parsed
				return;
			}
			this.events.of(record).ifPresent(this.streams::publish);
		}
		catch (InvalidEventException ex) {
			log.warn("Live updates skipped an unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
					record.offset(), ex.getMessage());
		}
		catch (RuntimeException ex) {
			log.warn("Live updates skipped a record at {}-{}@{}: {}", record.topic(), record.partition(),
					record.offset(), ex.toString());
		}
	}

}
