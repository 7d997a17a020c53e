package dev.clara.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka broker that {@code ./clara} starts. Tests create topics of their own with a random
 * suffix, so they never read or write the topics of a running stack.
 */
public final class LocalKafka {

	/** Prefix of every test topic. */
	public static final String TEST_TOPIC_PREFIX = "test.";

	private LocalKafka() {
	}

	/**
	 * Spring Boot arguments for a service process a test kills: a killed consumer leaves its
	 * partitions only when its session expires (45 s by default), so its successor waits that long.
	 */
	public static final List<String> SHORT_SESSION_ARGUMENTS = List.of(
			"--spring.kafka.consumer.properties.session.timeout.ms=6000",
			"--spring.kafka.consumer.properties.heartbeat.interval.ms=1000");

	public static String bootstrapServers() {
		return "127.0.0.1:" + System.getProperty("clara.test.kafka.port",
				System.getenv().getOrDefault("CLARA_KAFKA_PORT", "19092"));
	}

	/** A unique topic name for {@code purpose}, not yet created. */
	public static String uniqueTopicName(String purpose) {
		return TEST_TOPIC_PREFIX + purpose + "." + UUID.randomUUID().toString().substring(0, 8);
	}

	/** Creates a unique topic (replication factor 1) and returns its name. */
	public static String createTopic(String purpose, int partitions) {
		return createTopicNamed(uniqueTopicName(purpose), partitions);
	}

	/** Creates a topic of exactly this name, for example a unique topic's {@code -dlt} companion. */
	public static String createTopicNamed(String name, int partitions) {
		try (Admin admin = admin()) {
			admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Is the local stack up (./clara up, or ./clara test)? Creating topic "
					+ name + " failed: " + ex.getCause().getMessage(), ex);
		}
		return name;
	}

	/** A producer of string records to the local broker that waits for every replica (acks=all). */
	public static KafkaProducer<String, String> producer() {
		return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
				ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
	}

	public static Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15000,
				AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000));
	}

	/**
	 * Reads a topic from the start until {@code expected} records came (or the timeout), then
	 * three seconds longer: anything beyond {@code expected} would be a duplicate, give it a chance
	 * to show up.
	 */
	public static List<ConsumerRecord<String, String>> readAll(String topic, int expected, Duration timeout) {
		List<ConsumerRecord<String, String>> records = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
				ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
				"reader-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new StringDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + timeout.toNanos();
			while (records.size() < expected && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(300)).forEach(records::add);
			}
			long extra = System.nanoTime() + Duration.ofSeconds(3).toNanos();
			while (System.nanoTime() < extra) {
				consumer.poll(Duration.ofMillis(300)).forEach(records::add);
			}
		}
		return records;
	}

	/** The record's last header of that name as UTF-8 text, or null. */
	public static String header(ConsumerRecord<String, String> record, String name) {
		Header header = record.headers().lastHeader(name);
		return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
	}

}
