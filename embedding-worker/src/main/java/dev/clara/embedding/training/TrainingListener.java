package dev.clara.embedding.training;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The trainer's consumer (group {@code answer-trainer}): a pair got a vector ({@code QaPairEmbedded})
 * or changed, was deactivated or deleted ({@code QaPairChanged}), so its workspace asks for a new
 * model. Asking is idempotent and the run itself is debounced, so a replayed or repeated event
 * costs one upsert; the run finds nothing changed and stores nothing. Like the worker's own
 * listener, it starts with {@code spring.kafka.listener.auto-startup} (off in the benchmarks and
 * evaluations, whose workers must not join the running stack's consumer groups).
 *
 * <p>It needs only the workspace, which is every record's key (the relay keys by workspace), so it
 * does not parse payloads: a poison record is dead-lettered once, by the consumer that owns its
 * topic's events (the worker's listener, the gap detector), not a second time here. A record
 * without a workspace key cannot ask for anything and is skipped.
 */
@Component
class TrainingListener {

	private static final Logger log = LoggerFactory.getLogger(TrainingListener.class);

	private final TrainingRequests requests;

	TrainingListener(TrainingRequests requests) {
		this.requests = requests;
	}

	@KafkaListener(id = "answer-trainer", groupId = "answer-trainer", batch = "true",
			topics = { "${clara.worker.changes-topic}", "${clara.trainer.embedded-topic}" })
	void onPairEvents(List<ConsumerRecord<String, String>> records) {
		Set<UUID> workspaces = new LinkedHashSet<>();
		for (ConsumerRecord<String, String> record : records) {
			try {
				workspaces.add(UUID.fromString(record.key()));
			}
			catch (IllegalArgumentException | NullPointerException ex) {
				log.debug("record {}-{}@{} has no workspace key: skipped", record.topic(), record.partition(),
						record.offset());
			}
		}
		this.requests.request(workspaces);
	}

}
