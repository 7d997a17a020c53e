package dev.clara.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.clara.testing.LocalKafka;

/** Reads a topic from the beginning, every partition, accumulating what it saw. */
final class TopicReader implements AutoCloseable {

	private final KafkaConsumer<String, String> consumer;

	private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

	TopicReader(String topic) {
		this(topic, LocalKafka.bootstrapServers());
	}

	TopicReader(String topic, String bootstrapServers) {
		Map<String, Object> config = new HashMap<>();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
		this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
		List<TopicPartition> partitions = new ArrayList<>();
		for (PartitionInfo info : this.consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
			partitions.add(new TopicPartition(topic, info.partition()));
		}
		this.consumer.assign(partitions);
		this.consumer.seekToBeginning(partitions);
	}

	/** Everything read so far, after reading what is there now. */
	synchronized List<ConsumerRecord<String, String>> poll() {
		for (int i = 0; i < 5; i++) {
			var batch = this.consumer.poll(Duration.ofMillis(200));
			batch.forEach(this.records::add);
			if (batch.isEmpty()) {
				break;
			}
		}
		return List.copyOf(this.records);
	}

	/** Polls until {@code done} holds for what was read (or the timeout), then returns it. */
	List<ConsumerRecord<String, String>> pollUntil(Predicate<List<ConsumerRecord<String, String>>> done,
			Duration timeout) {
		long until = System.nanoTime() + timeout.toNanos();
		List<ConsumerRecord<String, String>> seen = poll();
		while (!done.test(seen) && System.nanoTime() < until) {
			seen = poll();
		}
		return seen;
	}

	@Override
	public void close() {
		this.consumer.close(Duration.ofSeconds(2));
	}

}
