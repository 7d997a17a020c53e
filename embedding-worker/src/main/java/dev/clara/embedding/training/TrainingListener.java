package dev.clara.embedding.training;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.InvalidEventException;
import dev.clara.shared.events.QaPairChanged;
import dev.clara.shared.events.QaPairEmbedded;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * The trainer's consumer (group {@code answer-trainer}): a pair got a vector ({@code QaPairEmbedded})
 * or changed, was deactivated or deleted ({@code QaPairChanged}), so its workspace asks for a new
 * model. Asking is idempotent and the run itself is debounced, so a replayed or repeated event
 * costs one upsert; the run finds nothing changed and stores nothing. Like the worker's own
 * listener, it starts with {@code spring.kafka.listener.auto-startup} (off in the benchmarks and
 * evaluations, whose workers must not join the running stack's consumer groups).
 */
@Component
class TrainingListener {

	private final EventCodec events;

	private final TrainingRequests requests;

	private final String embeddedTopic;

	TrainingListener(EventCodec events, TrainingRequests requests, TrainerProperties properties) {
		this.events = events;
		this.requests = requests;
		this.embeddedTopic = properties.embeddedTopic();
	}

	@KafkaListener(id = "answer-trainer", groupId = "answer-trainer", batch = "true",
			topics = { "${clara.worker.changes-topic}", "${clara.trainer.embedded-topic}" })
	void onPairEvents(List<ConsumerRecord<String, String>> records) {
		Set<UUID> workspaces = new LinkedHashSet<>();
		for (int i = 0; i < records.size(); i++) {
			ConsumerRecord<String, String> record = records.get(i);
			Class<?> type = this.embeddedTopic.equals(record.topic()) ? QaPairEmbedded.class : QaPairChanged.class;
			try {
				workspaces.add(this.events.fromJson(record.value(), type).workspaceId());
			}
			catch (InvalidEventException | IllegalArgumentException | NullPointerException ex) {
				throw new BatchListenerFailedException("not a readable " + type.getSimpleName() + " event: "
						+ ex.getMessage(), ex, i);
			}
		}
		this.requests.request(workspaces);
	}

}
